-- wrk script for bench/api.sh (a): every connection lends one of its own
-- items and takes it back, then the next of its pool. Run with as many
-- threads as connections (-t N -c N): a thread then drives exactly one
-- connection, so its requests are strictly one after the other and a
-- return always follows its own check-out.
--   wrk ... -s api_circulation.lua URL -- TOKEN BASE POOL HOUSEHOLD RATE
-- BASE: number of the first item (codes "FB" .. number); connection i
-- uses BASE + i*POOL .. BASE + i*POOL + POOL-1 and household HOUSEHOLD + i.
-- RATE > 0 paces the connection to RATE requests per second (a delay
-- between requests); 0 runs flat out.
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  token, base, pool, household, rate = args[1], tonumber(args[2]), tonumber(args[3]),
      tonumber(args[4]), tonumber(args[5])
  headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  k, lend = 0, true
end

function request()
  local item = "FB" .. (base + id * pool + k)
  if lend then
    lend = false
    return wrk.format("POST", "/v1/loans", headers,
                      '{"item":"' .. item .. '","household":' .. (household + id) .. '}')
  end
  lend, k = true, (k + 1) % pool
  return wrk.format("POST", "/v1/returns", headers, '{"item":"' .. item .. '"}')
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
