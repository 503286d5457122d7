package io.inlet.testkit;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A throw-away certificate authority for tests, with nothing but the JDK: EC P-256 keys, X.509 v3 certificates
 * written in DER by hand (basic constraints for the CA, subject alternative names 127.0.0.1 and localhost for
 * servers), PEM output as librdkafka users have it (CA file, certificate file, PKCS#8 key file, optionally
 * encrypted with a password).
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SHA256_WITH_ECDSA = "1.2.840.10045.4.3.2";

    /** A key pair and its certificate. */
    public record Issued(String name, KeyPair keys, byte[] certificateDer, TestPki issuer) {
        public String certificatePem() {
            return pem("CERTIFICATE", certificateDer);
        }

        /** Certificate followed by the issuer's, as a server presents it. */
        public String chainPem() {
            return issuer == null ? certificatePem() : certificatePem() + issuer.ca.certificatePem();
        }

        public String privateKeyPem() {
            return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
        }

        /** The key as an ENCRYPTED PRIVATE KEY (PKCS#8, PBE with SHA-1 and 3-key triple DES). */
        public String encryptedPrivateKeyPem(String password) {
            try {
                String alg = "PBEWithSHA1AndDESede";
                byte[] salt = new byte[16];
                RANDOM.nextBytes(salt);
                PBEParameterSpec spec = new PBEParameterSpec(salt, 2048);
                SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
                Cipher cipher = Cipher.getInstance(alg);
                cipher.init(Cipher.ENCRYPT_MODE, f.generateSecret(new PBEKeySpec(password.toCharArray())), spec);
                byte[] encrypted = cipher.doFinal(keys.getPrivate().getEncoded());
                AlgorithmParameters params = AlgorithmParameters.getInstance(alg);
                params.init(spec);
                return pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(params, encrypted).getEncoded());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Issued ca;

    private TestPki(String name) {
        KeyPair keys = keyPair();
        byte[] cert = certificate(name, name, keys, keys.getPrivate(), true);
        this.ca = new Issued(name, keys, cert, null);
    }

    public static TestPki create(String caName) {
        return new TestPki(caName);
    }

    public Issued ca() {
        return ca;
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Issued server(String name) {
        KeyPair keys = keyPair();
        return new Issued(name, keys, certificate(name, ca.name(), keys, ca.keys().getPrivate(), false), this);
    }

    /** A client certificate (mutual TLS); the broker maps its subject to the principal {@code User:CN=name}. */
    public Issued client(String name) {
        return server(name);
    }

    /** Writes {@code text} to {@code dir/name} and returns the path. */
    public static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text, StandardCharsets.US_ASCII);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- X.509

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] certificate(String subject, String issuer, KeyPair keys, PrivateKey signer, boolean isCa) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] algorithm = seq(oid(SHA256_WITH_ECDSA));
        byte[] extensions;
        if (isCa) {
            extensions = seq(extension("2.5.29.19", true, seq(bool(true))));
        } else {
            byte[] san = seq(tlv(0x87, new byte[] {127, 0, 0, 1}), tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)));
            extensions = seq(extension("2.5.29.19", true, seq()), extension("2.5.29.17", false, san));
        }
        byte[] tbs = seq(
                tlv(0xa0, integer(BigInteger.TWO)),
                integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                algorithm,
                name(issuer),
                seq(time(now.minus(1, ChronoUnit.DAYS)), time(now.plus(2, ChronoUnit.DAYS))),
                name(subject),
                keys.getPublic().getEncoded(),
                tlv(0xa3, extensions));
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(signer);
            s.update(tbs);
            return seq(tbs, algorithm, bitString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? seq(oid(oid), bool(true), tlv(0x04, value)) : seq(oid(oid), tlv(0x04, value));
    }

    private static byte[] name(String cn) {
        return seq(tlv(0x31, seq(oid("2.5.4.3"), tlv(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant t) {
        return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t)
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return tlv(0x30, out.toByteArray());
    }

    private static byte[] integer(BigInteger i) {
        return tlv(0x02, i.toByteArray());
    }

    private static byte[] bool(boolean b) {
        return new byte[] {0x01, 0x01, (byte) (b ? 0xff : 0)};
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1];
        System.arraycopy(bits, 0, content, 1, bits.length);
        return tlv(0x03, content);
    }

    private static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7f);
                v >>= 7;
            } while (v > 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
