package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.DriverManager;

/** The shared database, known only through what cleanroom:start exported to this module's tests. */
final class SharedDatabase {

    private SharedDatabase() {}

    static Connection connect() throws Exception {
        String host = System.getProperty("cleanroom.db.host");
        String port = System.getProperty("cleanroom.db.port");
        assertNotNull(host, "cleanroom.db.host is not a system property of the test JVM");
        assertNotNull(port, "cleanroom.db.port is not a system property of the test JVM");
        String url = "jdbc:postgresql://" + host + ":" + port + "/cleanroom?connectTimeout=10&socketTimeout=30";
        System.out.println("SharedDatabase connects to " + url);
        // The fixture's fixed test credentials (scripts/fixtures/postgres15/README.md).
        return DriverManager.getConnection(url, "cleanroom", "cleanroom");
    }
}
