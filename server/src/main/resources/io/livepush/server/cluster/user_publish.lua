-- One publish of a user against its rate across the cluster: a token bucket of ARGV[1] per second with a burst
-- of as many, kept as the time the bucket is full again (GCRA), so one key and one write per publish.
--
-- KEYS[1] push:user:{<user>}:publishes   string: that time in microseconds (Redis's clock)
-- ARGV[1] publishes per second
-- returns 0 when allowed, else the ms until one would be
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local interval = 1000000 / rate
local burst = interval * rate
local full = tonumber(redis.call('GET', key) or '0')
if full < now then
  full = now
end
local after = full + interval
if after - now > burst then
  return math.ceil((after - now - burst) / 1000)
end
redis.call('SET', key, string.format('%d', after), 'PX', math.ceil((after - now) / 1000) + 1)
return 0
