-- wrk script for bench/api.sh (a): every connection lends one of its own
-- items and takes it back, then the next of its pool. Run with as many
-- threads as connections (-t N -c N): a thread then drives exactly one
-- connection, so its requests are strictly one after the other and a
-- return always follows its own check-out.
--   wrk ... -s api_circulation.lua URL -- TOKEN BASE POOL HOUSEHOLD DELAY
-- BASE: number of the first item (codes "FB" .. number); connection i
-- uses BASE + i*POOL .. BASE + i*POOL + POOL-1 and household HOUSEHOLD + i.
-- DELAY > 0: milliseconds a connection waits between requests (to ask for
-- less than the peak rate).
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  local token, base, pool, household = args[1], tonumber(args[2]), tonumber(args[3]),
      tonumber(args[4])
  pause = tonumber(args[5])
  local headers = {["Authorization"] = "Bearer " .. token,
                   ["Content-Type"] = "application/json"}
  -- built once: making a request must cost the client next to nothing
  reqs = {}
  for k = 0, pool - 1 do
    local item = "FB" .. (base + id * pool + k)
    reqs[#reqs + 1] = wrk.format("POST", "/v1/loans", headers,
                                 '{"item":"' .. item .. '","household":' .. (household + id) .. '}')
    reqs[#reqs + 1] = wrk.format("POST", "/v1/returns", headers, '{"item":"' .. item .. '"}')
  end
  n = 0
  -- delay() only when asked for: wrk sends every request through a timer
  -- once a script has one
  if pause > 0 then
    delay = function() return pause end
  end
  -- wrk calls request() of the first thread once to look at it, before
  -- any connection: that call must not move the state on
  looked_at = id ~= 0
end

function request()
  if not looked_at then
    looked_at = true
    return reqs[1]
  end
  n = n % #reqs + 1
  return reqs[n]
end

function done(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d %d\n", summary.requests,
                         summary.duration / 1e6, latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, summary.errors.status,
                         summary.errors.connect + summary.errors.read + summary.errors.write
                         + summary.errors.timeout))
end
