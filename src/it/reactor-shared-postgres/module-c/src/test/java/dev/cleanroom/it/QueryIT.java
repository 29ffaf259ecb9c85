package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Queries the shared database, whichever module started it. */
class QueryIT {

    @Test
    void queriesTheSharedDatabase() throws Exception {
        try (Connection connection = SharedDatabase.connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select current_setting('server_version_num')::int / 10000")) {
            result.next();
            assertEquals(15, result.getInt(1), "the server is PostgreSQL 15");
        }
        System.out.println("QueryIT queried PostgreSQL 15");
    }
}
