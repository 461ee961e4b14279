package example;

import java.io.File;
import java.io.FileInputStream;
import java.io.ObjectInputStream;
import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class Injection {
    private static final String TABLE = "users";

    void sql(HttpServletRequest request, Connection conn) throws Exception {
        String id = request.getParameter("id");
        Statement st = conn.createStatement();
        // ruleid: sqli
        st.executeQuery("SELECT * FROM users WHERE id = '" + id + "'");
        String q = String.format("DELETE FROM %s WHERE id = %s", TABLE, id);
        // ruleid: sqli
        st.executeUpdate(q);
        // ok: sqli
        st.executeQuery("SELECT * FROM " + TABLE);
        // ok: sqli
        conn.prepareStatement("SELECT * FROM users WHERE id = ?").setString(1, id);
    }

    void sqlParam(Connection conn, String name) throws Exception {
        // ruleid: sqli
        conn.createStatement().execute("UPDATE users SET name = '" + name + "'");
    }

    void command(HttpServletRequest request) throws Exception {
        String host = request.getParameter("host");
        // ruleid: cmdi
        Runtime.getRuntime().exec("ping -c 1 " + host);
        // ruleid: cmdi
        new ProcessBuilder("sh", "-c", "nslookup " + host).start();
        // ok: cmdi
        new ProcessBuilder("nslookup", "example.com").start();
        // ok: cmdi
        Runtime.getRuntime().exec(new String[] {"ls", "-l"});
    }

    void files(HttpServletRequest request) throws Exception {
        String name = request.getParameter("file");
        // ruleid: path-traversal
        new FileInputStream(new File("/var/data/" + name));
        // ok: path-traversal
        new FileInputStream(new File("/var/data/report.txt"));
    }

    void fetch(HttpServletRequest request) throws Exception {
        String target = request.getParameter("url");
        // ruleid: ssrf
        new URL(target).openStream();
        // ok: ssrf
        new URL("https://api.example.com/items/" + target).openStream();
    }

    void reflect(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String q = request.getParameter("q");
        // ruleid: xss
        response.getWriter().println("<p>" + q + "</p>");
        // ok: xss
        response.getWriter().println("<p>hello</p>");
    }

    Object deserialize(java.io.InputStream in) throws Exception {
        // ruleid: deserialization
        ObjectInputStream ois = new ObjectInputStream(in);
        return ois.readObject();
    }

    Object script(HttpServletRequest request) throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");
        // ruleid: code-injection
        engine.eval(request.getParameter("expr"));
        // ok: code-injection
        return engine.eval("1 + 1");
    }

    String comments() {
        // ok: sqli
        // st.executeQuery("SELECT * FROM users WHERE id = '" + id + "'");
        // ok: cmdi
        String doc = "Runtime.getRuntime().exec(\"ping \" + host)";
        return doc;
    }
}
