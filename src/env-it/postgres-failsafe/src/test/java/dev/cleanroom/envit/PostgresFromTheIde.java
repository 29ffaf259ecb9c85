package dev.cleanroom.envit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cleanroom.junit5.Cleanroom;
import dev.cleanroom.junit5.CleanroomService;
import dev.cleanroom.junit5.ServiceEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * What a developer runs from the IDE after a build left the services running: the JUnit 5
 * extension finds them (target/cleanroom/) and hands them in. Its name matches none of Surefire's
 * or Failsafe's patterns, so the project's builds never run it; scripts/env-it.sh runs it by name
 * ({@code mvn -o test -Dtest=PostgresFromTheIde}) in a container other than the build's.
 */
@Cleanroom("src/test/cleanroom/db.clnrm.toml")
class PostgresFromTheIde {

    @Test
    void queriesTheDatabaseABuildLeftRunning(@CleanroomService("db") ServiceEndpoint db) throws Exception {
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/cleanroom?connectTimeout=10&socketTimeout=30";
        System.out.println("PostgresFromTheIde connects to " + url);
        // The fixture's fixed test credentials (scripts/fixtures/postgres15/README.md).
        try (Connection connection = DriverManager.getConnection(url, "cleanroom", "cleanroom");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select 40 + 2")) {
            result.next();
            assertEquals(42, result.getInt(1));
        }
    }
}
