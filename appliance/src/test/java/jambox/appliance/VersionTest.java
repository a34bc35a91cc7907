package jambox.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.app.Version;

/**
 * {@code jambox --version}. The real jar is made after the tests (package phase), so the reading
 * is checked on a jar built here the way maven-jar-plugin builds it: the manifest's main section.
 */
class VersionTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int main(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void fromClassFoldersTheVersionIsPlainlyUnknown() {
        assertEquals(0, main("--version"));
        assertEquals("jambox unknown\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, main("version"));
        assertEquals("jambox unknown\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(2, main("--version", "--json"));
        assertEquals("usage: jambox --version\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void inAJarTheVersionIsTheManifestsImplementationVersion(@TempDir Path dir) throws Exception {
        assertEquals("9.8.7-SNAPSHOT", versionInJar(dir.resolve("with.jar"), "9.8.7-SNAPSHOT"));
        assertEquals(Version.UNKNOWN, versionInJar(dir.resolve("without.jar"), null));
    }

    /** Loads Version from a jar holding only it and a manifest, in a loader of its own, and asks it. */
    private static String versionInJar(Path jar, String implementationVersion) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (implementationVersion != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
        }
        String entry = Version.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream j = new JarOutputStream(file, manifest);
             InputStream bytes = Version.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            bytes.transferTo(j);
            j.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> isolated = loader.loadClass(Version.class.getName());
            assertEquals(loader, isolated.getClassLoader(), "the jar's copy, not the test's");
            return (String) isolated.getMethod("current").invoke(null);
        }
    }
}
