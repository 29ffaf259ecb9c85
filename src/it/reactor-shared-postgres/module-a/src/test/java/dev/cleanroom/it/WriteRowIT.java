package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Writes a row into the shared database, and reaches module-a's own web service. */
class WriteRowIT {

    @Test
    void writesARowIntoTheSharedDatabase() throws Exception {
        String row = "written by module-a " + UUID.randomUUID();
        try (Connection connection = SharedDatabase.connect();
             Statement statement = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement("insert into handover (note) values (?)")) {
            statement.execute("create table handover (note text not null)");
            insert.setString(1, row);
            assertEquals(1, insert.executeUpdate());
        }
        System.out.println("WriteRowIT wrote: " + row);
    }

    @Test
    void reachesItsOwnModulesWebService() throws Exception {
        String url = System.getProperty("cleanroom.web.url");
        assertNotNull(url, "cleanroom.web.url is not a system property of module-a's tests");
        try (InputStream page = URI.create(url + "/").toURL().openStream()) {
            assertEquals("I am module-a", new String(page.readAllBytes()).trim());
        }
        System.out.println("WriteRowIT fetched " + url + "/");
    }
}
