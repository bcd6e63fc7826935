-- wrk script for bench/api.sh (b): GET /v1/items/{code} of a random item
-- among COUNT from BASE.
--   wrk ... -s api_item.lua URL -- TOKEN BASE COUNT RATE
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  token, base, count, rate = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  headers = {["Authorization"] = "Bearer " .. token}
  math.randomseed(id * 7919 + 17)
end

function request()
  return wrk.format("GET", "/v1/items/FB" .. (base + math.random(0, count - 1)), headers)
end

function delay()
  if rate > 0 then return 1000 / rate end
  return 0
end

function done(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d %d\n", summary.requests,
                         summary.duration / 1e6, latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, summary.errors.status,
                         summary.errors.connect + summary.errors.read + summary.errors.write
                         + summary.errors.timeout))
end
