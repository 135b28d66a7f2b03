-- Compare-and-set of a data-sync space's cursor with the items of one change (RedisSpaces.commit). Its
-- DataChanged is announced by the caller once this succeeded: on a Redis Cluster the control channel is
-- sharded, and a script may publish only on its own keys' slot.
--
-- KEYS[1] the space's items hash    KEYS[2] its versions sorted set    KEYS[3] its cursor (see space-read.lua)
-- ARGV[1] the cursor the change was decided on    ARGV[2] most items (tombstones included) the space holds
-- ARGV[3..] per item: id, version (ascending, the last one the new cursor), push.v1 Item bytes
-- returns {1, new cursor}; {0, cursor} when the cursor had moved; {-1, items held} when new items do not fit
local items, versions = KEYS[1], KEYS[2]
local cursor = tonumber(redis.call('GET', KEYS[3]) or '0')
if cursor ~= tonumber(ARGV[1]) then
  return {0, cursor}
end
local added = 0
for i = 3, #ARGV, 3 do
  added = added + 1 - redis.call('HEXISTS', items, ARGV[i])
end
local held = redis.call('HLEN', items)
if added > 0 and held + added > tonumber(ARGV[2]) then
  return {-1, held}
end
for i = 3, #ARGV, 3 do
  redis.call('HSET', items, ARGV[i], ARGV[i + 2])
  redis.call('ZADD', versions, ARGV[i + 1], ARGV[i])
end
redis.call('SET', KEYS[3], ARGV[#ARGV - 1])
return {1, tonumber(ARGV[#ARGV - 1])}
