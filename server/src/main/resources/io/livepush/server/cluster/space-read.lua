-- One consistent view of a data-sync space for one request (RedisSpaces.read).
--
-- KEYS[1] the space's items hash: item id = the push.v1 Item bytes (tombstones included)
-- KEYS[2] the space's versions sorted set: item id, score = its version
-- KEYS[3] the space's cursor (a string; missing = 0)
-- ARGV[1] since: changed items have a version above it    ARGV[2] how many changed items to return at most
-- ARGV[3..] the item ids the request mentions
-- returns {cursor, {Item bytes or nil, one per mentioned id}, {Item bytes of the changed ones, oldest first}}
-- The changed ones may include mentioned ids (the caller drops them): it reads that many more.
local items, versions = KEYS[1], KEYS[2]
local cursor = tonumber(redis.call('GET', KEYS[3]) or '0')
local asked = {}
for i = 3, #ARGV do
  asked[#asked + 1] = redis.call('HGET', items, ARGV[i])
end
local changed = {}
local limit = tonumber(ARGV[2])
if limit > 0 then
  local ids = redis.call('ZRANGEBYSCORE', versions, '(' .. ARGV[1], '+inf', 'LIMIT', 0, limit + #ARGV - 2)
  for i = 1, #ids do
    changed[i] = redis.call('HGET', items, ids[i])
  end
end
return {cursor, asked, changed}
