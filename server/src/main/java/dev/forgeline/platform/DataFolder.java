package dev.forgeline.platform;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data folder ({@code forgeline.home}) holds the embedded database and the master key: only the server's own user
 * may read it (folders 0700, files 0600), whatever the umask. Java cannot set the umask, so folders are created with
 * their mode and the files H2 creates are narrowed once the database is open; a file H2 adds later still sits in a
 * folder nobody else may enter.
 */
public final class DataFolder {

    /** The embedded database's folder under the data folder. */
    public static final String DB = "db";
    /** Names of the embedded database's files ({@code forgeline.mv.db}, {@code forgeline.trace.db}, …). */
    private static final String DB_FILES = "forgeline.";
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataFolder() {
    }

    /** Creates the folder (and missing parents) with mode 0700, or narrows it to 0700 when it exists. */
    public static void create(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            try {
                if (posix(absolute.getParent())) {
                    Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
                } else {
                    Files.createDirectory(absolute);
                }
            } catch (FileAlreadyExistsException anotherProcessWasFirst) {
                // Narrowed below like any existing folder.
            }
        }
        narrow(absolute, FOLDER);
    }

    /**
     * Narrows the data folder, its database folder and the files Forgeline keeps in them (the key file, the embedded
     * database's files) to the owner; other files someone put there are left as they are.
     */
    public static void restrict(Path home) throws IOException {
        Path absolute = home.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            return;
        }
        narrow(absolute, FOLDER);
        Path key = absolute.resolve(SecretBox.KEY_FILE);
        if (Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS)) {
            narrow(key, FILE);
        }
        Path db = absolute.resolve(DB);
        if (Files.isDirectory(db, LinkOption.NOFOLLOW_LINKS)) {
            narrow(db, FOLDER);
            try (Stream<Path> files = Files.list(db)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(DB_FILES)
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    narrow(file, FILE);
                }
            }
        }
    }

    private static void narrow(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (posix(path) && !Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static boolean posix(Path path) {
        return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
