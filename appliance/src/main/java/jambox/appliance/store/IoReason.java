package jambox.appliance.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words: the JDK's file exceptions often carry only a path
 * ("/var/lib/jambox"), and the kind of failure is in the class name no player sees.
 */
public final class IoReason {
    private IoReason() {
    }

    public static String of(IOException e) {
        if (e instanceof FileSystemException f) {
            String what = switch (f) {
                case NoSuchFileException x -> "no such file or folder";
                case AccessDeniedException x -> "permission denied";
                case FileAlreadyExistsException x -> "something is already there";
                case NotDirectoryException x -> "not a folder";
                default -> f.getReason() == null ? e.getClass().getSimpleName() : f.getReason();
            };
            return f.getFile() == null ? what : what + ": " + f.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
