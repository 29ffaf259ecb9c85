package dev.cleanroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads the row module-a's test wrote: the same database, not a new one. */
class ReadRowIT {

    @Test
    void readsTheRowModuleAWrote() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = SharedDatabase.connect();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select note from handover")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        assertEquals(1, rows.size(), "rows in handover: " + rows);
        System.out.println("ReadRowIT read: " + rows.get(0));
    }

    @Test
    void seesNoneOfModuleAsOwnServices() {
        assertNull(System.getProperty("cleanroom.web.url"), "module-a's web service leaked into module-b's tests");
    }
}
