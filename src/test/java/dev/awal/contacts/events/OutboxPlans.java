package dev.awal.contacts.events;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plans of the statements that read the outbox, over a JDBC connection of the test's own. The test database is
 * small, so the planner is told to avoid sorts, sequential and bitmap scans: a statement whose ORDER BY no index
 * satisfies still shows its Sort, and one that reads an index in order does not.
 */
public final class OutboxPlans {

    private OutboxPlans() {
    }

    /** EXPLAIN of the statement with its parameters ($n) replaced by the given literals. */
    public static String plan(String sql, Map<Integer, String> literals) throws SQLException {
        Matcher parameter = Pattern.compile("\\$(\\d+)").matcher(sql);
        String bound = parameter.replaceAll(m -> Matcher.quoteReplacement(literals.get(Integer.parseInt(m.group(1)))));
        var config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                Statement statement = connection.createStatement()) {
            statement.execute("SET enable_sort = off");
            statement.execute("SET enable_seqscan = off");
            statement.execute("SET enable_bitmapscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery("EXPLAIN " + bound)) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }
}
