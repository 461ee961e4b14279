package example;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Random;
import javax.crypto.Cipher;
import javax.net.ssl.X509TrustManager;
import org.springframework.web.bind.annotation.CrossOrigin;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

public class Crypto {
    byte[] hash(byte[] data) throws Exception {
        // ruleid: weak-crypto
        MessageDigest md = MessageDigest.getInstance("MD5");
        // ok: weak-crypto
        MessageDigest good = MessageDigest.getInstance("SHA-256");
        return md.digest(data);
    }

    Cipher cipher() throws Exception {
        // ruleid: weak-crypto
        Cipher des = Cipher.getInstance("DES/CBC/PKCS5Padding");
        // ruleid: weak-crypto
        Cipher ecb = Cipher.getInstance("AES/ECB/PKCS5Padding");
        // ok: weak-crypto
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    String generate() {
        // ruleid: weak-random
        int resetToken = new Random().nextInt();
        // ok: weak-random
        int jitter = new Random().nextInt(100);
        // ok: weak-random
        byte[] sessionKey = new byte[32];
        new SecureRandom().nextBytes(sessionKey);
        return Integer.toString(resetToken + jitter);
    }

    static class TrustAll implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        // ruleid: tls
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    static class Checked implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        // ok: tls
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException { delegate.checkServerTrusted(chain, authType); }
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    String jwt(String token) {
        // ruleid: jwt
        String subject = JWT.decode(token).getSubject();
        // ruleid: hardcoded-credential
        Algorithm alg = Algorithm.HMAC256("s3cr3t-signing-key-2024");
        // ok: hardcoded-credential
        Algorithm fromEnv = Algorithm.HMAC256(System.getenv("JWT_KEY"));
        return subject;
    }

    // ruleid: cors
    @CrossOrigin(origins = "*")
    public String open() { return "ok"; }

    // ok: cors
    @CrossOrigin(origins = "https://app.example.com")
    public String closed() { return "ok"; }
}
