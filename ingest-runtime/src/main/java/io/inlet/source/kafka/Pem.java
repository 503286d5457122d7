package io.inlet.source.kafka;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM blocks as the Java client wants them: certificates, and private keys in PKCS#8. */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {}

    /** Every block of this type, each on its own lines, concatenated. */
    static String blocks(String text, String type) {
        StringBuilder sb = new StringBuilder();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                sb.append("-----BEGIN ").append(type).append("-----\n").append(m.group(2).trim())
                        .append("\n-----END ").append(type).append("-----\n");
            }
        }
        return sb.toString();
    }

    /**
     * The private key as a PKCS#8 PEM block (PRIVATE KEY or ENCRYPTED PRIVATE KEY). OpenSSL's traditional
     * unencrypted RSA and EC keys (PKCS#1, SEC1), which librdkafka reads, are converted. Never puts key material
     * into a message.
     */
    static String pkcs8(String text, String property) throws SourceException {
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            String body = m.group(2);
            switch (type) {
                case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> {
                    return "-----BEGIN " + type + "-----\n" + body.trim() + "\n-----END " + type + "-----\n";
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (body.contains("Proc-Type") || body.contains("DEK-Info")) {
                        throw new SourceException(property + " holds an OpenSSL-encrypted " + type + " that Java cannot"
                                + " read; convert it to PKCS#8 (openssl pkcs8 -topk8 -in KEY -out KEY8) and keep"
                                + " property.ssl.key.password");
                    }
                    byte[] der;
                    try {
                        der = Base64.getMimeDecoder().decode(body.trim());
                    } catch (IllegalArgumentException e) {
                        throw new SourceException(property + " holds a malformed " + type + " block");
                    }
                    byte[] wrapped = type.startsWith("RSA") ? wrapRsa(der) : wrapEc(der, property);
                    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                            .encodeToString(wrapped) + "\n-----END PRIVATE KEY-----\n";
                }
                default -> {
                    // a certificate or another block in the same file
                }
            }
        }
        throw new SourceException(property + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static final byte[] RSA_ALGORITHM = tlv(0x30, concat(tlv(0x06, new byte[] {
            0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01}), new byte[] {0x05, 0x00}));
    private static final byte[] EC_PUBLIC_KEY_OID = tlv(0x06, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d,
            0x02, 0x01});
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private static byte[] wrapRsa(byte[] pkcs1) {
        return tlv(0x30, concat(VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1)));
    }

    /** SEC1 ECPrivateKey → PKCS#8, taking the curve from its [0] parameters. */
    private static byte[] wrapEc(byte[] sec1, String property) throws SourceException {
        byte[] curve = null;
        try {
            int[] outer = header(sec1, 0);
            int pos = outer[0];
            int end = outer[0] + outer[1];
            while (pos < end) {
                int tag = sec1[pos] & 0xff;
                int[] h = header(sec1, pos);
                if (tag == 0xa0) {
                    int[] oid = header(sec1, h[0]);
                    curve = java.util.Arrays.copyOfRange(sec1, h[0], oid[0] + oid[1]);
                }
                pos = h[0] + h[1];
            }
        } catch (RuntimeException e) {
            throw new SourceException(property + " holds a malformed EC PRIVATE KEY block");
        }
        if (curve == null) {
            throw new SourceException(property + ": the EC PRIVATE KEY names no curve; convert it to PKCS#8");
        }
        return tlv(0x30, concat(VERSION_0, tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve)), tlv(0x04, sec1)));
    }

    /** {start of content, content length} of the DER element at {@code pos}. */
    private static int[] header(byte[] der, int pos) {
        int len = der[pos + 1] & 0xff;
        int start = pos + 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[start + i] & 0xff);
            }
            start += n;
        }
        if (start + len > der.length) {
            throw new IllegalArgumentException("truncated");
        }
        return new int[] {start, len};
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
