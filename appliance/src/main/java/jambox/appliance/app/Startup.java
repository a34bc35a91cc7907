package jambox.appliance.app;

import java.nio.file.Path;

import jambox.appliance.board.BoardFile;
import jambox.appliance.board.BoardSpec;
import jambox.appliance.config.ApplianceConfig;
import jambox.appliance.config.ConfigFile;

/**
 * What the service starts with: the config and the board it names, or, when either has a mistake,
 * the built-in settings (no room, the default board) and the mistake. The config's control
 * section is kept if it alone is right: the page then comes up on the port the player knows and
 * tells them what to fix. A box that exits instead shows nothing at all.
 *
 * @param configError the mistake, naming the file, the place in it and the problem; null when none
 */
record Startup(ApplianceConfig config, BoardSpec board, String configError) {
    static Startup read(Path configFile) {
        try {
            ApplianceConfig c = ConfigFile.read(configFile);
            return new Startup(c, c.board() == null ? DefaultBoard.load() : BoardFile.read(c.board()), null);
        } catch (ConfigFile.BadConfigException | BoardFile.BadBoardException e) {
            ApplianceConfig d = ApplianceConfig.DEFAULT;
            return new Startup(new ApplianceConfig(d.audio(), null, null, d.jitter(), ConfigFile.controlAlone(configFile)),
                    DefaultBoard.load(), e.getMessage());
        }
    }
}
