package io.inlet.schemaregistry;

import io.inlet.testkit.ApicurioRegistry;
import io.inlet.testkit.CuttableProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Confluent API of a real registry (Apicurio, basic auth required): schemas by id and latest, failures told apart. */
class SchemaRegistryClientTest {

    static ApicurioRegistry registry;
    static final String V1 = "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
    static final String V2 = "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
            + "{\"name\":\"b\",\"type\":\"long\",\"default\":0}]}";
    static int id1;
    static int id2;

    @BeforeAll
    static void register() {
        registry = ApicurioRegistry.get();
        id1 = registry.register("client-probe-value", V1);
        id2 = registry.register("client-probe-value", V2);
    }

    @Test
    void schemaByIdWithCredentialsInTheUrl() throws Exception {
        SchemaRegistryClient c = new SchemaRegistryClient(RegistryEndpoint.of(registry.urlWithCredentials(), null));
        assertThat(c.schemaById(id1)).contains("\"Probe\"").doesNotContain("\"b\"");
        assertThat(c.schemaById(id2)).contains("\"b\"");
        assertThat(c.latestSchema("client-probe-value")).contains("\"b\"");
    }

    @Test
    void credentialsAsTheirOwnPropertyWinOverTheUrls() throws Exception {
        RegistryEndpoint e = RegistryEndpoint.of(registry.urlWithCredentials().replace(ApicurioRegistry.PASSWORD, "wrong"),
                ApicurioRegistry.USER + ":" + ApicurioRegistry.PASSWORD);
        assertThat(new SchemaRegistryClient(e).schemaById(id1)).contains("\"Probe\"");
    }

    @Test
    void wrongCredentialsAreDeniedAndThePasswordIsNeverShown() {
        RegistryEndpoint e = RegistryEndpoint.of(registry.url(), ApicurioRegistry.USER + ":not-the-password");
        assertThatThrownBy(() -> new SchemaRegistryClient(e).schemaById(id1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        x -> assertThat(x.kind()).isEqualTo(SchemaRegistryException.Kind.DENIED))
                .hasMessageContaining("HTTP 401").hasMessageContaining("authentication failed")
                .hasMessageContaining("http://******@127.0.0.1:" + registry.port())
                .hasMessageNotContaining("not-the-password");
        assertThatThrownBy(() -> new SchemaRegistryClient(RegistryEndpoint.of(registry.url(), null)).schemaById(id1))
                .hasMessageContaining("no credentials were given");
    }

    @Test
    void anUnknownIdIsNotFound() {
        SchemaRegistryClient c = new SchemaRegistryClient(RegistryEndpoint.of(registry.urlWithCredentials(), null));
        assertThatThrownBy(() -> c.schemaById(987_654))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        x -> assertThat(x.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
    }

    @Test
    void aRegistryThatIsDownIsUnreachableNamedWithoutItsPassword() throws Exception {
        try (CuttableProxy proxy = new CuttableProxy(registry.port())) {
            String url = "http://" + ApicurioRegistry.USER + ":" + ApicurioRegistry.PASSWORD + "@127.0.0.1:" + proxy.port()
                    + "/apis/ccompat/v7";
            SchemaRegistryClient c = new SchemaRegistryClient(RegistryEndpoint.of(url, null));
            assertThat(c.schemaById(id1)).contains("Probe");
            proxy.cut();
            assertThatThrownBy(() -> c.schemaById(id2))
                    .isInstanceOfSatisfying(SchemaRegistryException.class,
                            x -> assertThat(x.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE))
                    .hasMessageContaining("cannot be reached for schema id " + id2)
                    .hasMessageContaining("http://******@127.0.0.1:" + proxy.port() + "/apis/ccompat/v7")
                    .hasMessageNotContaining(ApicurioRegistry.PASSWORD);
            proxy.restore();
            assertThat(c.schemaById(id2)).contains("\"b\"");
        }
    }

    @Test
    void endpointsParseAndMask() {
        RegistryEndpoint e = RegistryEndpoint.of("HTTPS://us%40r:p%3Ass@reg.example:8081/api/", null);
        assertThat(e.user()).isEqualTo("us@r");
        assertThat(e.password()).isEqualTo("p:ss");
        assertThat(e.base().toString()).isEqualTo("https://reg.example:8081/api");
        assertThat(e.toString()).isEqualTo("https://******@reg.example:8081/api");
        assertThat(RegistryEndpoint.of("http://reg:8081", null).display()).isEqualTo("http://reg:8081");
        assertThatThrownBy(() -> RegistryEndpoint.of("ftp://reg", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
