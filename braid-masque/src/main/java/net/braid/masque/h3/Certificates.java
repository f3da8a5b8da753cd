package net.braid.masque.h3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS identities for the HTTP/3 server and the pins its clients check: PEM loading, PEM writing,
 * self-signed ECDSA P-256 generation (for the demo and tests), a small CA that issues client
 * certificates (for mutual TLS) and SubjectPublicKeyInfo pins.
 *
 * <p>BouncyCastle is used only to build certificates and parse PEM keys; signing and key handling
 * stay with the JDK's providers, so no provider is registered globally.
 */
public final class Certificates {

    /** A private key and the certificate chain that goes with it, leaf first. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public Identity {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) throw new IllegalArgumentException("certificate chain is empty");
        }

        public X509Certificate leaf() {
            return chain.getFirst();
        }
    }

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private Certificates() {}

    /** Loads a server identity from a PEM chain file (leaf first) and a PEM private key file. */
    public static Identity load(Path chainPem, Path keyPem) throws IOException, GeneralSecurityException {
        return new Identity(readPrivateKey(keyPem), readCertificates(chainPem));
    }

    /** Reads every CERTIFICATE block of a PEM file, in file order. */
    public static List<X509Certificate> readCertificates(Path pem) throws IOException, CertificateException {
        byte[] bytes = Files.readAllBytes(pem);
        var certificates = new ArrayList<X509Certificate>();
        for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
            certificates.add((X509Certificate) certificate);
        }
        if (certificates.isEmpty()) throw new CertificateException("no certificate in " + pem);
        return certificates;
    }

    /**
     * Reads an unencrypted private key: PKCS#8 ("PRIVATE KEY", EC or RSA), and for convenience the
     * older SEC1 ("EC PRIVATE KEY") and PKCS#1 ("RSA PRIVATE KEY") forms that openssl writes.
     */
    public static PrivateKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
        return parsePrivateKey(Files.readString(pem, StandardCharsets.US_ASCII), pem.toString());
    }

    static PrivateKey parsePrivateKey(String pem, String source) throws IOException, GeneralSecurityException {
        try (Reader reader = new StringReader(pem); var parser = new PEMParser(reader)) {
            var converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                switch (object) {
                    case PrivateKeyInfo info -> { return converter.getPrivateKey(info); }
                    case PEMKeyPair pair -> { return converter.getPrivateKey(pair.getPrivateKeyInfo()); }
                    default -> { /* certificates or parameters beside the key: skip */ }
                }
            }
        }
        throw new GeneralSecurityException("no unencrypted private key (PKCS#8, SEC1 or PKCS#1 PEM) in " + source);
    }

    /**
     * Generates a self-signed ECDSA P-256 certificate for the given names. Each name becomes a
     * subjectAltName: an IP address when it is an IPv4/IPv6 literal, a DNS name otherwise; the first
     * one is also the subject's common name.
     */
    public static Identity selfSigned(List<String> names, Duration validity) throws GeneralSecurityException {
        if (names.isEmpty()) throw new IllegalArgumentException("at least one host name or address is needed");
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        var subject = new X500Principal("CN=" + names.getFirst().replaceAll("[,+=\"\\\\<>;]", "_"));
        Instant now = Instant.now();
        var serial = new BigInteger(64, new SecureRandom());
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial, Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)),
                    subject, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            certificate.verify(keys.getPublic());
            return new Identity(keys.getPrivate(), List.of(certificate));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build a self-signed certificate", e);
        }
    }

    /**
     * Generates a self-signed ECDSA P-256 certificate authority (basicConstraints CA, keyCertSign)
     * that {@link #issueClient} signs with: for tests and for deployments that run their own small CA.
     */
    public static Identity certificateAuthority(String name, Duration validity) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        var subject = new X500Principal("CN=" + commonName(name));
        try {
            X509v3CertificateBuilder builder = builder(subject, subject, keys.getPublic(), validity);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Identity(keys.getPrivate(), List.of(sign(builder, keys.getPrivate(), keys.getPublic())));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot build a CA certificate", e);
        }
    }

    /**
     * Issues a TLS client certificate (ECDSA P-256, extendedKeyUsage clientAuth) for {@code name},
     * signed by {@code ca}. The chain is the new leaf followed by the CA's own chain.
     */
    public static Identity issueClient(Identity ca, String name, Duration validity) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        var subject = new X500Principal("CN=" + commonName(name));
        try {
            X509v3CertificateBuilder builder = builder(ca.leaf().getSubjectX500Principal(), subject, keys.getPublic(), validity);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            var chain = new ArrayList<X509Certificate>();
            chain.add(sign(builder, ca.key(), ca.leaf().getPublicKey()));
            chain.addAll(ca.chain());
            return new Identity(keys.getPrivate(), chain);
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot issue a client certificate", e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String commonName(String name) {
        return name.replaceAll("[,+=\"\\\\<>;]", "_");
    }

    private static X509v3CertificateBuilder builder(X500Principal issuer, X500Principal subject, PublicKey key, Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, key);
    }

    /** Signs with the issuer's key (ECDSA, or RSA for a CA loaded from PEM) and checks the signature. */
    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, PublicKey issuerPublic)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        var signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        certificate.verify(issuerPublic);
        return certificate;
    }

    private static GeneralNames subjectAltNames(List<String> names) throws IOException {
        var altNames = new GeneralName[names.size()];
        for (int i = 0; i < altNames.length; i++) {
            String name = names.get(i);
            altNames[i] = IP_LITERAL.matcher(name).matches()
                    ? new GeneralName(GeneralName.iPAddress, InetAddress.ofLiteral(name).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, name);
        }
        return new GeneralNames(altNames);
    }

    /** Writes the chain and the key (PKCS#8) as PEM files; the key file is readable by its owner only where POSIX allows. */
    public static void write(Identity identity, Path chainPem, Path keyPem) throws IOException, CertificateException {
        var chain = new StringBuilder();
        for (X509Certificate certificate : identity.chain()) {
            chain.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Files.writeString(chainPem, chain, StandardCharsets.US_ASCII);
        Files.deleteIfExists(keyPem);
        Files.createFile(keyPem);
        try {
            Files.setPosixFilePermissions(keyPem, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows or Android storage: the file system's own access rules apply.
        }
        Files.writeString(keyPem, pem("PRIVATE KEY", identity.key().getEncoded()), StandardCharsets.US_ASCII);
    }

    /** RFC 7468 textual encoding: base64 in 64-character lines between BEGIN and END labels. */
    public static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /** The base64 SHA-256 of a key's DER SubjectPublicKeyInfo: the pin a client configures. */
    public static String spkiSha256(PublicKey key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** The pin of a certificate's public key. */
    public static String spkiSha256(X509Certificate certificate) {
        return spkiSha256(certificate.getPublicKey());
    }
}
