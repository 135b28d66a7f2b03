-- One more connection of a user, unless the cluster has its maximum already.
--
-- KEYS[1] push:user:{<user>}:connections   sorted set: member "<node>/<connection>", score = expiry (ms)
-- ARGV[1] member    ARGV[2] how long an entry lives unless its node renews it (ms)    ARGV[3] the maximum
-- returns 1 when added, 0 when refused (nothing added)
--
-- A node renews its entries well within their life, so the entries of a node that died expire here.
local key = KEYS[1]
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZSCORE', key, ARGV[1]) == false and redis.call('ZCARD', key) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', key, now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', key, ARGV[2])
return 1
