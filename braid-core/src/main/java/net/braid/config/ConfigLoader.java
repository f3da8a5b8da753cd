package net.braid.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a tunnel configuration file: {@link IniParser}, then {@link ConfigValidator}, all errors at once. */
public final class ConfigLoader {

    private static final String SUFFIX = ".conf";

    private ConfigLoader() {
    }

    /**
     * Loads {@code file}; the TUN name defaults to the file's name without {@code .conf}, as
     * wg-quick does.
     *
     * @throws ConfigException when the file cannot be read (naming the path and the reason) or
     *                         breaks any rule
     */
    public static TunnelConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(new ConfigError("", "", "cannot read " + file + ": " + reason(file, e)));
        }
        return parse(text, defaultName(file));
    }

    /**
     * Reads configuration text that came from elsewhere than a file.
     *
     * @param defaultName the TUN name when [Interface] sets none, or null to require Name
     */
    public static TunnelConfig parse(String text, String defaultName) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        IniDocument document = IniParser.parse(text, errors);
        Optional<TunnelConfig> config = ConfigValidator.validate(document, defaultName, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config.orElseThrow();
    }

    /** The file's name without {@code .conf}: {@code /etc/braid/braid0.conf} → {@code braid0}. */
    public static String defaultName(Path file) {
        Path fileName = file.getFileName();
        String name = fileName == null ? "" : fileName.toString();
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    }

    private static String reason(Path file, IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied";
            case CharacterCodingException _ -> "not UTF-8 text";
            default -> Files.isDirectory(file) ? "is a directory"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
