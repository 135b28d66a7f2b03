/**
 * The Java client of the push server's TCP protocol: {@link io.livepush.client.PushClient} connects,
 * joins rooms, subscribes, publishes, and reconnects by itself, resuming each channel from the last
 * position it delivered so that the application sees every seq once, in order.
 */
package io.livepush.client;
