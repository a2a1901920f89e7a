package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.TcpProxy;
import org.junit.jupiter.api.Test;

/**
 * The change-event exchange exists once the service has started, before any event, so that a
 * consumer can bind its queue first (contract §9); RabbitMQ down at start-up does not stop the
 * service, and the exchange is declared once it can be reached. Against the local RabbitMQ.
 */
class ChangeEventsExchangeTest {

    @Test
    void a_consumer_can_bind_to_the_exchange_as_soon_as_the_service_has_started() throws Exception {
        String exchange = RabbitChangeEventsQueue.newExchangeName();
        try (PostgresDatabase postgres = PostgresDatabase.create();
             RunningService service = RunningService.start(postgres, null, Map.of(
                     "clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI,
                     "clerk.change-events.exchange", exchange));
             Connection connection = rabbit()) {
            try (Channel channel = connection.createChannel()) {
                String queue = channel.queueDeclare().getQueue();
                assertThatCode(() -> channel.queueBind(queue, exchange, "user.*")).doesNotThrowAnyException();
            } finally {
                try (Channel channel = connection.createChannel()) {
                    channel.exchangeDelete(exchange);
                }
            }
        }
    }

    @Test
    void with_rabbitmq_unreachable_at_start_up_the_service_starts_and_declares_the_exchange_once_it_is_reachable()
            throws Exception {
        String exchange = RabbitChangeEventsQueue.newExchangeName();
        try (TcpProxy broker = TcpProxy.start("127.0.0.1", 5672)) {
            broker.cut();
            try (PostgresDatabase postgres = PostgresDatabase.create();
                 RunningService service = RunningService.start(postgres, null, Map.of(
                         "clerk.change-events.rabbitmq-uri", "amqp://guest:guest@127.0.0.1:" + broker.port(),
                         "clerk.change-events.exchange", exchange));
                 Connection connection = rabbit()) {
                broker.restore();
                try {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                            .until(() -> {
                                // A passive declare of a missing exchange closes its channel: one channel a try.
                                try (Channel channel = connection.createChannel()) {
                                    channel.exchangeDeclarePassive(exchange);
                                    return true;
                                }
                            });
                } finally {
                    try (Channel channel = connection.createChannel()) {
                        channel.exchangeDelete(exchange);
                    }
                }
            }
        }
    }

    private static Connection rabbit() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(RabbitChangeEventsQueue.URI);
        return factory.newConnection("clerk-sync exchange test");
    }
}
