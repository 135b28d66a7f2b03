package io.livepush.server.sync;

import io.livepush.proto.v1.Item;
import java.util.List;
import java.util.Map;

/**
 * What {@link Spaces#read} saw of a space at one moment.
 *
 * @param cursor the version of the space's last change; 0 for a space never written
 * @param items the asked-for items the space holds (tombstones included), by item id
 * @param changed other items changed after the asked-for cursor, oldest first, within the asked-for limit
 */
public record SpaceRead(long cursor, Map<String, Item> items, List<Item> changed) {}
