package dev.clerksync.mapping;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.clerksync.event.EpochTime;
import dev.clerksync.store.StorableJson;

/**
 * The kinds of target column a mapping writes (contract §11), read from the database at start-up,
 * and the conversion of a source value to each. A value that does not convert (a word for a number,
 * say) becomes null rather than failing the delivery: the delivery is Clerk's and valid, the
 * mapping's column only cannot hold that value. Times: instants, epoch numbers (milliseconds, or
 * seconds below 10^12, as Clerk's), ISO-8601 text; a timestamp without time zone and a date are
 * the UTC ones.
 */
enum ValueType {

    TEXT, TIMESTAMPTZ, TIMESTAMP, DATE, INTEGER, NUMERIC, BOOLEAN, JSON,
    /** Enums and uuid: written as text, which the database casts. */
    CAST_FROM_TEXT;

    /** The kind of a PostgreSQL type (pg_type.typname and typcategory), or null when a mapping cannot write it. */
    static ValueType ofPostgres(String typname, String category) {
        return switch (typname) {
            case "text", "varchar", "bpchar", "citext", "name" -> TEXT;
            case "timestamptz" -> TIMESTAMPTZ;
            case "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            case "int2", "int4", "int8" -> INTEGER;
            case "numeric", "float4", "float8" -> NUMERIC;
            case "bool" -> BOOLEAN;
            case "json", "jsonb" -> JSON;
            case "uuid" -> CAST_FROM_TEXT;
            default -> "E".equals(category) ? CAST_FROM_TEXT : null;
        };
    }

    /** The kind of an H2 type (INFORMATION_SCHEMA.COLUMNS.DATA_TYPE), or null. */
    static ValueType ofH2(String dataType) {
        return switch (dataType.toUpperCase(Locale.ROOT)) {
            case "CHARACTER VARYING", "CHARACTER", "CHARACTER LARGE OBJECT", "VARCHAR_IGNORECASE" -> TEXT;
            case "TIMESTAMP WITH TIME ZONE" -> TIMESTAMPTZ;
            case "TIMESTAMP" -> TIMESTAMP;
            case "DATE" -> DATE;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT" -> INTEGER;
            case "NUMERIC", "DECFLOAT", "REAL", "DOUBLE PRECISION" -> NUMERIC;
            case "BOOLEAN" -> BOOLEAN;
            case "JSON" -> JSON;
            case "ENUM", "UUID" -> CAST_FROM_TEXT;
            default -> null;
        };
    }

    /** The value converted for this kind: String, Instant, Long, BigDecimal, Boolean or JsonNode; or null. */
    Object convert(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case TEXT, CAST_FROM_TEXT -> StorableJson.withoutNul(asText(value));
            case TIMESTAMPTZ, TIMESTAMP, DATE -> asInstant(value);
            case INTEGER -> asInteger(value);
            case NUMERIC -> asDecimal(value);
            case BOOLEAN -> asBoolean(value);
            case JSON -> asJson(value);
        };
    }

    /**
     * A converted value as PostgreSQL reads it from text (the elements of the text arrays the
     * generated statements cast to the column's type).
     */
    String toPostgresText(Object converted) {
        if (converted == null) {
            return null;
        }
        return switch (this) {
            case TIMESTAMP -> LocalDateTime.ofInstant((Instant) converted, ZoneOffset.UTC).toString();
            case DATE -> LocalDate.ofInstant((Instant) converted, ZoneOffset.UTC).toString();
            case JSON -> StorableJson.toSqlJson((JsonNode) converted);
            default -> converted.toString();
        };
    }

    /** A converted value as H2's JDBC driver takes it (JSON as text, bound with FORMAT JSON). */
    Object toH2(Object converted) {
        if (converted == null) {
            return null;
        }
        return switch (this) {
            case TIMESTAMPTZ -> ((Instant) converted).atOffset(ZoneOffset.UTC);
            case TIMESTAMP -> LocalDateTime.ofInstant((Instant) converted, ZoneOffset.UTC);
            case DATE -> LocalDate.ofInstant((Instant) converted, ZoneOffset.UTC);
            case JSON -> StorableJson.toSqlJson((JsonNode) converted);
            default -> converted;
        };
    }

    /**
     * A column's stored value, read back in a form {@link #convert} takes (the admin view compares it
     * with the projection): times through java.time, so that the JVM's zone plays no part.
     */
    Object read(ResultSet row, int index) throws SQLException {
        Object value = switch (this) {
            case TIMESTAMPTZ -> {
                OffsetDateTime time = row.getObject(index, OffsetDateTime.class);
                yield time == null ? null : time.toInstant();
            }
            case TIMESTAMP -> {
                LocalDateTime time = row.getObject(index, LocalDateTime.class);
                yield time == null ? null : time.toInstant(ZoneOffset.UTC);
            }
            case DATE -> {
                LocalDate day = row.getObject(index, LocalDate.class);
                yield day == null ? null : day.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            case INTEGER -> {
                Object number = row.getObject(index);
                yield number == null ? null : ((Number) number).longValue();
            }
            case NUMERIC -> row.getBigDecimal(index);
            case BOOLEAN -> row.getObject(index);
            case JSON -> {
                String json = row.getString(index);
                yield json == null ? null : SourceRow.parse(json);
            }
            case TEXT, CAST_FROM_TEXT -> row.getString(index);
        };
        return convert(value);
    }

    /**
     * A converted value as the admin view shows it, in the form the column keeps: a timestamp
     * without time zone as its UTC wall time, a date as the day; equal forms mean equal stored values.
     */
    JsonNode toJson(Object converted) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (converted == null) {
            return nodes.nullNode();
        }
        return switch (this) {
            case TIMESTAMP, DATE -> nodes.textNode(toPostgresText(converted));
            case INTEGER -> nodes.numberNode((Long) converted);
            case NUMERIC -> nodes.numberNode((BigDecimal) converted);
            case BOOLEAN -> nodes.booleanNode((Boolean) converted);
            case JSON -> (JsonNode) converted;
            default -> nodes.textNode(converted.toString());
        };
    }

    /** Any source value as text: times in ISO-8601 UTC, JSON containers as JSON text. */
    static String asText(Object value) {
        if (value instanceof JsonNode node) {
            return node.isTextual() ? node.textValue() : node.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    private static Instant asInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Long epoch) {
            return EpochTime.toInstant(LongNode.valueOf(epoch));
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static Long asInteger(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof BigDecimal decimal) {
            try {
                return decimal.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static BigDecimal asDecimal(Object value) {
        if (value instanceof Long number) {
            return BigDecimal.valueOf(number);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Instant instant) {
            return BigDecimal.valueOf(instant.toEpochMilli());
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Boolean asBoolean(Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof String text) {
            String word = text.trim().toLowerCase(Locale.ROOT);
            return word.equals("true") ? Boolean.TRUE : word.equals("false") ? Boolean.FALSE : null;
        }
        return null;
    }

    private static JsonNode asJson(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof Long number) {
            return nodes.numberNode(number);
        }
        if (value instanceof BigDecimal decimal) {
            return nodes.numberNode(decimal);
        }
        if (value instanceof Boolean bool) {
            return nodes.booleanNode(bool);
        }
        return nodes.textNode(asText(value));
    }
}
