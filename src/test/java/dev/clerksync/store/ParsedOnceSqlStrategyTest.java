package dev.clerksync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParsedOnceSqlStrategyTest {

    private final DefaultSqlPrepareStatementStrategy standard = new DefaultSqlPrepareStatementStrategy();
    private final ParsedOnceSqlStrategy parsedOnce = new ParsedOnceSqlStrategy();
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    /** The statement as camel-sql hands it to the strategy: the {@code #} placeholder already {@code ?}. */
    private static String statement(String file) throws IOException {
        try (InputStream in = ParsedOnceSqlStrategyTest.class.getResourceAsStream("/sql/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace('#', '?');
        }
    }

    /** A value per parameter name, each different, so that any mix-up of order shows. */
    private static Map<String, Object> distinctValues(String statement) {
        Map<String, Object> body = new HashMap<>();
        Matcher names = Pattern.compile(":\\?(\\w+)").matcher(statement);
        while (names.find()) {
            body.putIfAbsent(names.group(1), "value of " + names.group(1));
        }
        body.put("unused", "not a parameter");
        return body;
    }

    private static List<Object> drain(Iterator<?> values) {
        List<Object> list = new ArrayList<>();
        values.forEachRemaining(list::add);
        return list;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "postgresql/upsert-user.sql", "postgresql/delete-user.sql", "postgresql/audit-only.sql",
            "h2/upsert-user.sql", "h2/delete-user.sql", "h2/audit-only.sql"})
    void givesTheDefaultStrategysJdbcTextAndValuesForEverySqlFile(String file) throws Exception {
        String statement = statement(file);
        Map<String, Object> body = distinctValues(statement);
        String jdbcText = standard.prepareQuery(statement, true, exchange);

        for (int delivery = 0; delivery < 2; delivery++) {
            assertThat(parsedOnce.prepareQuery(statement, true, exchange)).isEqualTo(jdbcText);
            int count = (int) jdbcText.chars().filter(c -> c == '?').count();
            assertThat(drain(parsedOnce.createPopulateIterator(statement, jdbcText, count, exchange, body)))
                    .isEqualTo(drain(standard.createPopulateIterator(statement, jdbcText, count, exchange, body)))
                    .hasSize(count);
        }
    }

    @Test
    void aParameterTheBodyDoesNotHoldIsReportedAsCamelSqlReportsIt() throws Exception {
        String statement = statement("postgresql/audit-only.sql");
        Map<String, Object> body = distinctValues(statement);
        body.remove("payload");
        String jdbcText = parsedOnce.prepareQuery(statement, true, exchange);

        Iterator<?> values = parsedOnce.createPopulateIterator(statement, jdbcText, 6, exchange, body);
        assertThatThrownBy(() -> drain(values)).hasMessageContaining("Cannot find key [payload]");
    }

    @Test
    void statementsThatDependOnTheExchangeAreLeftToCamelSql() throws Exception {
        String inList = "SELECT * FROM users WHERE id IN (:?in:ids) AND deleted_at IS NULL";
        Map<String, Object> body = Map.of("ids", List.of("user_a", "user_b", "user_c"));
        exchange.getMessage().setBody(body);

        String jdbcText = parsedOnce.prepareQuery(inList, true, exchange);
        assertThat(jdbcText).isEqualTo(standard.prepareQuery(inList, true, exchange)).contains("IN (?,?,?)");
        assertThat(parsedOnce.prepareQuery("SELECT :?name", false, exchange)).isEqualTo("SELECT :?name");
    }
}
