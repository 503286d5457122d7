package io.inlet.infra.kafka;

/**
 * How clients authenticate to MSK, with the broker port of each listener (MSK's fixed port numbers) and the field of
 * {@code Kafka.getBootstrapBrokers} that lists those brokers.
 */
public enum AuthMode {
    IAM(9098, 9198, "BootstrapBrokerStringSaslIam", "BootstrapBrokerStringPublicSaslIam"),
    SCRAM(9096, 9196, "BootstrapBrokerStringSaslScram", "BootstrapBrokerStringPublicSaslScram"),
    TLS(9094, 9194, "BootstrapBrokerStringTls", "BootstrapBrokerStringPublicTls");

    private final int privatePort;
    private final int publicPort;
    private final String privateBootstrapField;
    private final String publicBootstrapField;

    AuthMode(int privatePort, int publicPort, String privateBootstrapField, String publicBootstrapField) {
        this.privatePort = privatePort;
        this.publicPort = publicPort;
        this.privateBootstrapField = privateBootstrapField;
        this.publicBootstrapField = publicBootstrapField;
    }

    public int port(boolean publicAccess) {
        return publicAccess ? publicPort : privatePort;
    }

    public String bootstrapField(boolean publicAccess) {
        return publicAccess ? publicBootstrapField : privateBootstrapField;
    }
}
