package jambox.appliance.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jambox.appliance.config.ApplianceConfig;

/**
 * Picks the sound card JACK runs on from what the kernel shows in {@code /proc/asound}: the card
 * the config names, else the first USB audio interface that can record, else the first other card
 * that can record (an I2S HAT), else none (JACK's dummy driver, so the box still starts and can
 * tell the player). Cards are read from their folders; {@code cards} only gives their names.
 */
public final class CardProbe {
    public static final String NO_INTERFACE =
            "no audio interface found: plug in a USB audio interface and JACK restarts on it";
    private static final Pattern CARD_FOLDER = Pattern.compile("card([0-9]+)");
    private static final Pattern CAPTURE_PCM = Pattern.compile("pcm[0-9]+c");
    /** {@code " 1 [CODEC          ]: USB-Audio - USB Audio CODEC"}, then the long name on the next line. */
    private static final Pattern CARDS_LINE = Pattern.compile("^\\s*([0-9]+)\\s+\\[[^]]*]:\\s*\\S+\\s+-\\s+(.*)$");

    private CardProbe() {
    }

    /** A card as {@code /proc/asound} shows it; {@code name} and {@code longName} may be null. */
    record Card(int number, String id, String name, String longName, boolean usb, boolean capture) {
        /** "1 CODEC (USB Audio CODEC)", "0 Headphones (bcm2835 Headphones, playback only)". */
        String describe() {
            String about = Stream.of(name, capture ? null : "playback only").filter(Objects::nonNull)
                    .collect(Collectors.joining(", "));
            return number + " " + id + (about.isEmpty() ? "" : " (" + about + ")");
        }

        boolean answersTo(String wanted) {
            return wanted.equalsIgnoreCase(name) || wanted.equalsIgnoreCase(longName);
        }
    }

    public static AudioInterface choose(Path asound, ApplianceConfig.Audio audio) {
        List<Card> cards = cards(asound);
        String device = audio.device();
        String problem = null;
        if (device != null) {
            Card named = cards.stream().filter(c -> c.id().equalsIgnoreCase(device)).findFirst()
                    .or(() -> cards.stream().filter(c -> c.answersTo(device)).findFirst()).orElse(null);
            if (named != null && named.capture()) {
                return alsa(named, "the card named in the config (audio.device)", null, audio);
            }
            // The box is for playing in: a card that cannot record is as good as absent.
            problem = "the card '" + device + "' named in the config (audio.device) "
                    + (named == null ? "is not here" : "cannot record") + "; cards: " + list(cards);
        }
        Card usb = first(cards, c -> c.usb() && c.capture());
        if (usb != null) {
            return alsa(usb, "the first USB audio interface", problem, audio);
        }
        Card other = first(cards, Card::capture);
        if (other != null) {
            return alsa(other, "the first card that can record (no USB audio interface is plugged in)", problem, audio);
        }
        // The named card's problem already lists the cards.
        String none = cards.isEmpty() || problem != null ? NO_INTERFACE
                : NO_INTERFACE + " (no card here can record; cards: " + list(cards) + ")";
        return new AudioInterface("dummy", null, null, "none", "no card here can record: JACK runs on its dummy driver",
                problem == null ? none : problem + "; " + none, audio.sampleRate(), audio.frames(), audio.periods());
    }

    private static AudioInterface alsa(Card c, String reason, String problem, ApplianceConfig.Audio audio) {
        return new AudioInterface("alsa", c.id(), c.name(), c.usb() ? "usb" : "other", reason, problem,
                audio.sampleRate(), audio.frames(), audio.periods());
    }

    private static Card first(List<Card> cards, Predicate<Card> fits) {
        return cards.stream().filter(fits).findFirst().orElse(null);
    }

    private static String list(List<Card> cards) {
        return cards.isEmpty() ? "none" : cards.stream().map(Card::describe).collect(Collectors.joining(", "));
    }

    /**
     * The cards in the order of their numbers. A folder that cannot be read, or whose id is not an
     * ALSA id (the kernel never makes one; only a damaged or fake tree has it), is no card: its id
     * would end up on jackd's command line.
     */
    static List<Card> cards(Path asound) {
        Map<Integer, String[]> names = names(asound.resolve("cards"));
        List<Card> cards = new ArrayList<>();
        try (Stream<Path> entries = Files.list(asound)) {
            for (Path folder : entries.toList()) {
                Matcher m = CARD_FOLDER.matcher(folder.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(folder)) {
                    continue; // the id symlinks lead to the same folders
                }
                int number = Integer.parseInt(m.group(1));
                String id;
                boolean capture;
                try (Stream<Path> pcms = Files.list(folder)) {
                    id = Files.readString(folder.resolve("id")).strip();
                    capture = pcms.anyMatch(p -> CAPTURE_PCM.matcher(p.getFileName().toString()).matches()
                            && Files.isDirectory(p));
                } catch (IOException e) {
                    continue;
                }
                if (!id.matches(AudioInterface.CARD_ID)) {
                    continue;
                }
                String[] n = names.getOrDefault(number, new String[2]);
                cards.add(new Card(number, id, n[0], n[1], Files.exists(folder.resolve("usbid")), capture));
            }
        } catch (IOException e) {
            return List.of(); // no /proc/asound: a machine without sound (a container, a server)
        }
        cards.sort(Comparator.comparingInt(Card::number));
        return cards;
    }

    /** Card number to {name, long name}, from the {@code cards} file; empty when it cannot be read. */
    private static Map<Integer, String[]> names(Path cardsFile) {
        Map<Integer, String[]> names = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(cardsFile);
        } catch (IOException e) {
            return names;
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = CARDS_LINE.matcher(lines.get(i));
            if (m.matches()) {
                String longName = i + 1 < lines.size() && !CARDS_LINE.matcher(lines.get(i + 1)).matches()
                        ? blankToNull(lines.get(i + 1).strip()) : null;
                names.put(Integer.parseInt(m.group(1)), new String[] {blankToNull(m.group(2).strip()), longName});
            }
        }
        return names;
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
