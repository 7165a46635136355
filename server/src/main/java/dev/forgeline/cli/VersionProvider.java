package dev.forgeline.cli;

import picocli.CommandLine.IVersionProvider;

class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"forgeline " + (version != null ? version : "development build"),
                "Java " + Runtime.version()};
    }
}
