package io.inlet.source.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;

/**
 * What {@code property.enable.ssl.certificate.verification = false} turns into: a trust manager factory
 * ({@link #ALGORITHM}, for the client's {@code ssl.trustmanager.algorithm}) whose trust manager accepts any broker
 * certificate and logs a warning on every connection, naming the broker and the certificate it accepted unchecked.
 */
public final class TrustAllProvider extends Provider {

    public static final String ALGORITHM = "InletTrustAll";
    private static final Logger log = LoggerFactory.getLogger(TrustAllProvider.class);

    private TrustAllProvider() {
        super("InletTrustAll", "1.0", "Inlet: trust any certificate (certificate verification turned off)");
        putService(new Service(this, "TrustManagerFactory", ALGORITHM, Factory.class.getName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new Factory();
            }
        });
    }

    /** Registers the provider once; returns the algorithm name to configure. */
    public static synchronized String install() {
        if (Security.getProvider("InletTrustAll") == null) {
            Security.addProvider(new TrustAllProvider());
        }
        return ALGORITHM;
    }

    /** The factory the JCA instantiates. */
    public static final class Factory extends TrustManagerFactorySpi {
        @Override
        protected void engineInit(KeyStore ks) {
        }

        @Override
        protected void engineInit(ManagerFactoryParameters spec) {
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            return new TrustManager[] {new TrustAll()};
        }
    }

    static final class TrustAll extends X509ExtendedTrustManager {

        private static void warn(X509Certificate[] chain, String host, int port) {
            log.warn("TLS certificate verification is OFF (property.enable.ssl.certificate.verification = false): "
                            + "accepted the certificate of broker {}:{} ('{}') without checking it; do not run like this "
                            + "in production, set property.ssl.ca.location instead",
                    host, port, chain == null || chain.length == 0 ? "none" : chain[0].getSubjectX500Principal());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            warn(chain, engine == null ? "?" : engine.getPeerHost(), engine == null ? -1 : engine.getPeerPort());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            warn(chain, socket == null ? "?" : String.valueOf(socket.getInetAddress()), socket == null ? -1 : socket.getPort());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            warn(chain, "?", -1);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
