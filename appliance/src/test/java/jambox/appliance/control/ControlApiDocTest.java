package jambox.appliance.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jambox.appliance.app.Appliance;

/**
 * docs/control-api.md's command table and the commands the box carries out are the same set: a
 * command added to one and not the other fails here, as docs/pedals.md does for the catalog.
 */
class ControlApiDocTest {
    private static final Path DOC = Path.of("..", "docs", "control-api.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z.]+)` \\|");

    /** The first column of the table under "## From the page: commands", in order. */
    static List<String> documented() throws Exception {
        List<String> names = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                in = line.equals("## From the page: commands");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (in && m.find() && !m.group(1).equals("cmd")) { // "cmd" heads the table
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void theDocumentListsEveryCommandAndNoOther() throws Exception {
        List<String> box = new ArrayList<>(ControlService.COMMANDS);
        box.add(PageSession.LOGIN);
        List<String> doc = documented();
        System.out.println("documented: " + doc);
        assertEquals(box.stream().sorted().toList(), doc.stream().sorted().toList(),
                "docs/control-api.md's command table against ControlService.COMMANDS and login");
        assertEquals(box.size(), doc.size(), "each command documented once: " + doc);
    }

    @Test
    void everyListedCommandIsCarriedOutAndAnUnlistedOneIsRefused(@TempDir Path data) throws Exception {
        try (Appliance box = CommandFixture.box(); ControlPlane plane = ControlPlane.start(box, null, data, null)) {
            for (String cmd : ControlService.COMMANDS) {
                // Without its fields most commands are refused: but for what they lack, not as unknown.
                try {
                    CommandFixture.command(plane, "{\"v\":1,\"cmd\":\"" + cmd + "\"}");
                } catch (BadCommandException e) {
                    assertTrue(!e.getMessage().startsWith("unknown command"), cmd + ": " + e.getMessage());
                }
            }
            BadCommandException e = assertThrows(BadCommandException.class,
                    () -> CommandFixture.command(plane, "{\"v\":1,\"cmd\":\"preset.explode\"}"));
            assertEquals("unknown command 'preset.explode'", e.getMessage());
        }
    }
}
