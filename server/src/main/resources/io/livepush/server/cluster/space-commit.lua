-- Compare-and-set of a data-sync space's cursor with the items of one change (RedisSpaces.commit), and its
-- DataChanged announced on the control channel in the same step: every node hears changes in version order.
--
-- KEYS[1] the space's items hash    KEYS[2] its versions sorted set    KEYS[3] its cursor (see space-read.lua)
-- ARGV[1] the cursor the change was decided on    ARGV[2] most items (tombstones included) the space holds
-- ARGV[3] control Pub/Sub channel    ARGV[4] the event to publish there
-- ARGV[5..] per item: id, version (ascending, the last one the new cursor), push.v1 Item bytes
-- returns {1, new cursor}; {0, cursor} when the cursor had moved; {-1, items held} when new items do not fit
local items, versions = KEYS[1], KEYS[2]
local cursor = tonumber(redis.call('GET', KEYS[3]) or '0')
if cursor ~= tonumber(ARGV[1]) then
  return {0, cursor}
end
local added = 0
for i = 5, #ARGV, 3 do
  added = added + 1 - redis.call('HEXISTS', items, ARGV[i])
end
local held = redis.call('HLEN', items)
if added > 0 and held + added > tonumber(ARGV[2]) then
  return {-1, held}
end
for i = 5, #ARGV, 3 do
  redis.call('HSET', items, ARGV[i], ARGV[i + 2])
  redis.call('ZADD', versions, ARGV[i + 1], ARGV[i])
end
redis.call('SET', KEYS[3], ARGV[#ARGV - 1])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return {1, tonumber(ARGV[#ARGV - 1])}
