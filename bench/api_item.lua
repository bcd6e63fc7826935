-- wrk script for bench/api.sh (b): GET /v1/items/{code} of items drawn at
-- random among COUNT from BASE.
--   wrk ... -s api_item.lua URL -- TOKEN BASE COUNT DELAY
-- DELAY > 0: milliseconds a connection waits between requests.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  local token, base, count = args[1], tonumber(args[2]), tonumber(args[3])
  pause = tonumber(args[4])
  local headers = {["Authorization"] = "Bearer " .. token}
  math.randomseed(id * 7919 + 17)
  -- built once: making a request must cost the client next to nothing
  reqs = {}
  for i = 1, 4096 do
    reqs[i] = wrk.format("GET", "/v1/items/FB" .. (base + math.random(0, count - 1)), headers)
  end
  n = 0
  -- delay() only when asked for: wrk sends every request through a timer
  -- once a script has one
  if pause > 0 then
    delay = function() return pause end
  end
end

function request()
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
