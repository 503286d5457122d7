package io.inlet.testkit;

import org.junit.jupiter.api.Test;

import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresTest {

    @Test
    void startsAPrivateClusterOnLoopbackAndStopsIt() throws Exception {
        String url;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            url = pg.jdbcUrl();
            assertThat(url).startsWith("jdbc:postgresql://127.0.0.1:");
            try (var c = pg.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT 40 + 2")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, "inlet", ""))
                .isInstanceOf(java.sql.SQLException.class);
    }
}
