package io.credpipe.app.command;

import io.credpipe.ingest.auth.ApiKeyStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code credpipe sources}: the API keys of HR sources and admins, kept hashed in
 * {@code <data-dir>/api-keys.json}. A running server sees changes at its next request.
 */
@Command(name = "sources", mixinStandardHelpOptions = true,
        description = "Manage the API keys HR sources and admins call the ingest API with.",
        subcommands = {SourcesCommand.Create.class, SourcesCommand.List.class, SourcesCommand.Revoke.class})
public class SourcesCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand shares. */
    static class Store {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
                description = "The data directory of the pipeline the keys are for (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        ApiKeyStore open() {
            return new ApiKeyStore(dataDir);
        }
    }

    /** {@code credpipe sources create NAME [--admin] [--key-file F]}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key for a source and show it once: only its SHA-256 digest is kept.")
    static class Create implements Callable<Integer> {
        @picocli.CommandLine.Mixin Store store;

        @Parameters(paramLabel = "NAME", description = "The source's name, as events state it in \"source\" (a-z 0-9 . _ -).")
        String name;

        @Option(names = "--admin", description = "The key may also manage frameworks.")
        boolean admin;

        @Option(names = "--key-file", paramLabel = "FILE",
                description = "Write the key to FILE (owner-only permissions) instead of printing it.")
        Path keyFile;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ApiKeyStore.CreatedKey created = store.open().create(name, admin);
            PrintWriter out = spec.commandLine().getOut();
            if (keyFile != null) {
                writeOwnerOnly(keyFile, created.key() + "\n");
                out.printf("Created %s key for source %s, written to %s.%n", admin ? "an admin" : "a", name, keyFile);
            } else {
                out.printf("Created %s key for source %s. It is shown only this once:%n%n  %s%n%n"
                        + "Send it as: Authorization: Bearer <key>%n", admin ? "an admin" : "a", name, created.key());
            }
            out.flush();
            return 0;
        }

        private static void writeOwnerOnly(Path file, String content) throws IOException {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
    }

    /** {@code credpipe sources list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the sources that have a key (never the keys).")
    static class List implements Callable<Integer> {
        @picocli.CommandLine.Mixin Store store;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            java.util.List<ApiKeyStore.SourceKey> sources = store.open().list();
            if (sources.isEmpty()) {
                out.println("No sources. Create one with: credpipe sources create NAME");
            }
            for (ApiKeyStore.SourceKey source : sources) {
                out.printf("%-32s %-6s created %s%n", source.source(), source.admin() ? "admin" : "", source.createdAt());
            }
            out.flush();
            return 0;
        }
    }

    /** {@code credpipe sources revoke NAME}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a source's key; it is refused from the next request on.")
    static class Revoke implements Callable<Integer> {
        @picocli.CommandLine.Mixin Store store;

        @Parameters(paramLabel = "NAME", description = "The source.")
        String name;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            boolean revoked = store.open().revoke(name);
            spec.commandLine().getOut().println(revoked ? "Revoked the key of source " + name + "." : "Source " + name + " has no key.");
            spec.commandLine().getOut().flush();
            return revoked ? 0 : 1;
        }
    }
}
