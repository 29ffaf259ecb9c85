package dev.cleanroom.envit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Runs in Failsafe's JVM, wherever the build runs (on the host, in a container, against a
 * remote daemon), and knows the database only through what cleanroom:start exported.
 */
class PostgresIT {

    @Test
    void queriesTheDatabaseThroughTheExportedAddress() throws Exception {
        String host = System.getProperty("cleanroom.db.host");
        String port = System.getProperty("cleanroom.db.port");
        assertNotNull(host, "cleanroom.db.host is not a system property of the test JVM");
        assertNotNull(port, "cleanroom.db.port is not a system property of the test JVM");
        String url = "jdbc:postgresql://" + host + ":" + port + "/cleanroom?connectTimeout=10&socketTimeout=30";
        System.out.println("PostgresIT connects to " + url);
        // The fixture's fixed test credentials (scripts/fixtures/postgres15/README.md).
        try (Connection connection = DriverManager.getConnection(url, "cleanroom", "cleanroom");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select 40 + 2, current_setting('server_version_num')::int / 10000")) {
            result.next();
            assertEquals(42, result.getInt(1));
            assertEquals(15, result.getInt(2), "the server is PostgreSQL 15");
        }
    }
}
