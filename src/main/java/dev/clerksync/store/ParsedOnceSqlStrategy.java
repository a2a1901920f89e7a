package dev.clerksync.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlPrepareStatementStrategy;

/**
 * camel-sql's named-parameter handling, with each SQL file parsed once instead of for every
 * delivery. camel-sql's default strategy runs several regular expressions over the whole statement
 * for every exchange (to find the {@code :#name} parameters, then again to list them in order, and
 * converts the body to a map once per parameter): about a tenth of the service's CPU time on the
 * PostgreSQL path. This strategy remembers, per statement, the JDBC text and the parameter names in
 * order, and reads the values straight from the body map ({@link SqlParameters}).
 *
 * <p>It gives exactly the default strategy's results (tested against it on every SQL file), and
 * hands anything else to the default strategy: statements with {@code :#in:} lists or {@code :#${…}}
 * expressions, bodies that are not maps, and parameters that the body does not hold (which the
 * default strategy looks up in headers, or reports).
 */
public final class ParsedOnceSqlStrategy implements SqlPrepareStatementStrategy {

    /** A named parameter as camel-sql hands it over: {@code :#name} with the placeholder already {@code ?}. */
    private static final Pattern NAMED_PARAMETER = Pattern.compile(":\\?(\\w+)");

    private final SqlPrepareStatementStrategy standard = new DefaultSqlPrepareStatementStrategy();
    private final Map<String, Parsed> statements = new ConcurrentHashMap<>();

    /**
     * What one statement's text gives, found once: whether it depends on the exchange (IN lists and
     * simple expressions, left to camel-sql), its JDBC text and its parameter names in order.
     */
    private record Parsed(boolean dynamic, String jdbcText, List<String> names) {

        static Parsed of(String query) {
            if (query.contains(":?in:") || query.contains(":?$")) {
                return new Parsed(true, null, List.of());
            }
            List<String> names = new ArrayList<>();
            Matcher matcher = NAMED_PARAMETER.matcher(query);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return new Parsed(false, NAMED_PARAMETER.matcher(query).replaceAll("?"), List.copyOf(names));
        }
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        Parsed parsed = statements.computeIfAbsent(query, Parsed::of);
        if (!allowNamedParameters || parsed.dynamic()) {
            return standard.prepareQuery(query, allowNamedParameters, exchange);
        }
        return parsed.jdbcText();
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object body) throws SQLException {
        Parsed parsed = statements.computeIfAbsent(query, Parsed::of);
        if (parsed.dynamic() || parsed.names().isEmpty() || !(body instanceof Map<?, ?> values)
                || !values.keySet().containsAll(parsed.names())) {
            return standard.createPopulateIterator(query, preparedQuery, expectedParams, exchange, body);
        }
        List<Object> ordered = new ArrayList<>(parsed.names().size());
        for (String name : parsed.names()) {
            ordered.add(values.get(name));
        }
        return ordered.iterator();
    }

    @Override
    public void populateStatement(PreparedStatement statement, Iterator<?> values, int expectedParams)
            throws SQLException {
        standard.populateStatement(statement, values, expectedParams);
    }
}
