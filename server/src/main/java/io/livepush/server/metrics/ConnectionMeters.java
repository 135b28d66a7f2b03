package io.livepush.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client connections' meters, all registered up front so that the open and close paths only bump
 * pre-built counters: open connections, connects and bytes by transport, disconnects by reason.
 */
final class ConnectionMeters {
    private final EnumMap<ClientTransport, LongAdder> open = new EnumMap<>(ClientTransport.class);
    private final EnumMap<ClientTransport, Counter> connects = new EnumMap<>(ClientTransport.class);
    private final EnumMap<ClientTransport, TrafficCounter> traffic = new EnumMap<>(ClientTransport.class);
    private final Counter[] disconnects;

    ConnectionMeters(MeterRegistry registry) {
        for (ClientTransport t : ClientTransport.values()) {
            LongAdder n = new LongAdder();
            open.put(t, n);
            Gauge.builder("push.connections", n, LongAdder::sum)
                    .description("Open client connections (TCP from accept, WebSocket from the upgrade)")
                    .tag("transport", t.label())
                    .register(registry);
            connects.put(
                    t,
                    Counter.builder("push.connects")
                            .description("Connections authenticated by a Connect")
                            .tag("transport", t.label())
                            .register(registry));
            TrafficCounter bytes = new TrafficCounter();
            traffic.put(t, bytes);
            FunctionCounter.builder("push.received", bytes, TrafficCounter::receivedTotal)
                    .description("Bytes read from client connections, TLS included")
                    .baseUnit(BaseUnits.BYTES)
                    .tag("transport", t.label())
                    .register(registry);
            FunctionCounter.builder("push.sent", bytes, TrafficCounter::sentTotal)
                    .description("Bytes written to client connections, TLS included")
                    .baseUnit(BaseUnits.BYTES)
                    .tag("transport", t.label())
                    .register(registry);
        }
        List<CloseReason> reasons = CloseReason.all();
        disconnects = new Counter[reasons.size()];
        for (CloseReason r : reasons) {
            disconnects[r.index()] = Counter.builder("push.disconnects")
                    .description("Client connections closed, by why")
                    .tag("reason", r.label())
                    .register(registry);
        }
    }

    void opened(ClientTransport t) {
        open.get(t).increment();
    }

    void closed(ClientTransport t, CloseReason reason) {
        open.get(t).decrement();
        disconnects[reason.index()].increment();
    }

    void connected(ClientTransport t) {
        connects.get(t).increment();
    }

    TrafficCounter traffic(ClientTransport t) {
        return traffic.get(t);
    }
}
