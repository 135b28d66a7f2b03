package io.livepush.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** The repository root's pom.xml: the reactor's modules and the project version that every module inherits. */
record RootPom(String version, List<String> modules) {

    /** The repository root, as the build passes it (the module's parent folder). */
    static Path root() {
        return Path.of(System.getProperty("livepush.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static RootPom read(Path root) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder()
                    .parse(root.resolve("pom.xml").toFile())
                    .getDocumentElement();
            List<String> modules = new ArrayList<>();
            NodeList moduleElements = project.getElementsByTagName("module");
            for (int i = 0; i < moduleElements.getLength(); i++) {
                modules.add(moduleElements.item(i).getTextContent().strip());
            }
            return new RootPom(child(project, "version"), List.copyOf(modules));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + root.resolve("pom.xml"), e);
        }
    }

    private static String child(Element parent, String name) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element
                    && element.getTagName().equals(name)) {
                return element.getTextContent().strip();
            }
        }
        throw new IllegalStateException("pom.xml has no <" + name + ">");
    }
}
