-- SPDX-License-Identifier: Apache-2.0
-- wrk script: send PIPELINE requests (default 16) back to back per round trip, as
-- TechEmpower's plaintext test does. Usage: wrk ... -s pipeline.lua URL -- 16
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format(nil)
  end
  req = table.concat(r)
end

request = function()
  return req
end
