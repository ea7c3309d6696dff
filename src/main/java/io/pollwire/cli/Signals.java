package io.pollwire.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs handlers for TERM, INT and HUP through {@code sun.misc.Signal} (module
 * jdk.unsupported), reached reflectively so the build stays warning-free. QUIT is left to the
 * JVM, which prints a thread dump on it.
 */
final class Signals {
    private Signals() {}

    /**
     * @param names signal names without "SIG"
     * @param action called with the signal name, on a JVM signal thread
     * @return the signals that could not be handled here (with the reason)
     */
    static List<String> handle(String[] names, java.util.function.Consumer<String> action) {
        List<String> failed = new ArrayList<>();
        Class<?> signalClass;
        Class<?> handlerClass;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
        } catch (ClassNotFoundException e) {
            failed.add("all (sun.misc.Signal unavailable)");
            return failed;
        }
        InvocationHandler ih = (Object proxy, Method m, Object[] args) -> {
            if (m.getName().equals("handle")) {
                Object signal = args[0];
                action.accept((String) signalClass.getMethod("getName").invoke(signal));
                return null;
            }
            if (m.getName().equals("toString")) {
                return "pollwire-signal-handler";
            }
            if (m.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            return proxy == args[0];
        };
        Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, ih);
        for (String name : names) {
            try {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failed.add(name + " (" + cause.getMessage() + ")");
            }
        }
        return failed;
    }
}
