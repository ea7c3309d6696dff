// SPDX-License-Identifier: Apache-2.0
/**
 * The consumer as a named module: it may read only what module io.pollwire exports. On the
 * class path this descriptor is ignored and the same classes run unnamed.
 */
module pollwire.consumer {
    requires io.pollwire;
}
