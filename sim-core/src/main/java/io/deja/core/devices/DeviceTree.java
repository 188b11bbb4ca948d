package io.deja.core.devices;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes (and reads back) flattened device tree blobs, version 17 (Devicetree
 * Specification v0.4, chapter 5): a 40-byte header, the memory reservation
 * block, the structure block and the strings block, all big-endian.
 *
 * Build a tree depth-first: {@link #beginNode}, its properties, its child
 * nodes, {@link #endNode}. The first node is the root (name "").
 */
public final class DeviceTree {
    public static final int MAGIC = 0xD00D_FEED;
    public static final int VERSION = 17;
    public static final int LAST_COMPATIBLE_VERSION = 16;
    private static final int HEADER_SIZE = 40;
    private static final int FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9;

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();
    private final List<long[]> reservations = new ArrayList<>();
    /** Per open node: whether a child has been started (properties must come first). */
    private final List<Boolean> openNodes = new ArrayList<>();
    private boolean finished;
    private int bootCpu;

    // ---- Writing ----------------------------------------------------------------------------
    public DeviceTree beginNode(String name) {
        checkOpen();
        if (openNodes.isEmpty()) {
            if (!name.isEmpty()) throw new IllegalStateException("the root node's name must be empty");
            if (structure.size() > 0) throw new IllegalStateException("a device tree has one root node");
        } else {
            if (name.isEmpty()) throw new IllegalArgumentException("only the root node has an empty name");
            openNodes.set(openNodes.size() - 1, true);
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) throw new IllegalArgumentException("bad node name " + name);
        putInt(structure, FDT_BEGIN_NODE);
        putPadded(structure, (name + '\0').getBytes(StandardCharsets.US_ASCII));
        openNodes.add(false);
        return this;
    }

    public DeviceTree endNode() {
        checkOpen();
        if (openNodes.isEmpty()) throw new IllegalStateException("no node to end");
        putInt(structure, FDT_END_NODE);
        openNodes.remove(openNodes.size() - 1);
        return this;
    }

    public DeviceTree property(String name, byte[] value) {
        checkOpen();
        if (openNodes.isEmpty()) throw new IllegalStateException("property " + name + " outside any node");
        if (openNodes.get(openNodes.size() - 1)) {
            throw new IllegalStateException("property " + name + " after a child node: properties come first");
        }
        putInt(structure, FDT_PROP);
        putInt(structure, value.length);
        putInt(structure, stringOffset(name));
        putPadded(structure, value);
        return this;
    }

    /** A property with no value (a boolean such as "interrupt-controller"). */
    public DeviceTree flag(String name) {
        return property(name, new byte[0]);
    }

    /** One or more 32-bit cells. */
    public DeviceTree cells(String name, int... cells) {
        ByteBuffer b = ByteBuffer.allocate(cells.length * 4);
        for (int c : cells) b.putInt(c);
        return property(name, b.array());
    }

    /** 64-bit values, each as two cells (high, low), e.g. reg with #address-cells = #size-cells = 2. */
    public DeviceTree longs(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8);
        for (long v : values) b.putLong(v);
        return property(name, b.array());
    }

    /** A string, or a string list (each NUL-terminated, concatenated). */
    public DeviceTree strings(String name, String... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String v : values) {
            if (v.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL inside property " + name);
            b.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return property(name, b.toByteArray());
    }

    public DeviceTree reserveMemory(long address, long size) {
        checkOpen();
        reservations.add(new long[] {address, size});
        return this;
    }

    public DeviceTree bootCpu(int physicalId) {
        this.bootCpu = physicalId;
        return this;
    }

    /** The blob. The tree must be complete (every node ended). */
    public byte[] toBlob() {
        if (!openNodes.isEmpty()) throw new IllegalStateException(openNodes.size() + " node(s) not ended");
        if (structure.size() == 0) throw new IllegalStateException("empty device tree");
        if (!finished) {
            putInt(structure, FDT_END);
            finished = true;
        }
        int rsvSize = (reservations.size() + 1) * 16;
        int offRsv = HEADER_SIZE;
        int offStruct = offRsv + rsvSize;
        int offStrings = offStruct + structure.size();
        int total = offStrings + strings.size();
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(MAGIC).putInt(total).putInt(offStruct).putInt(offStrings).putInt(offRsv)
                .putInt(VERSION).putInt(LAST_COMPATIBLE_VERSION).putInt(bootCpu)
                .putInt(strings.size()).putInt(structure.size());
        for (long[] r : reservations) b.putLong(r[0]).putLong(r[1]);
        b.putLong(0).putLong(0);
        b.put(structure.toByteArray());
        b.put(strings.toByteArray());
        return b.array();
    }

    private void checkOpen() {
        if (finished) throw new IllegalStateException("device tree already written");
    }

    private int stringOffset(String name) {
        Integer off = stringOffsets.get(name);
        if (off != null) return off;
        int at = strings.size();
        strings.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        strings.write(0);
        stringOffsets.put(name, at);
        return at;
    }

    private static void putInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void putPadded(ByteArrayOutputStream out, byte[] data) {
        out.writeBytes(data);
        for (int i = data.length; (i & 3) != 0; i++) out.write(0);
    }

    // ---- Reading ----------------------------------------------------------------------------
    /** A property as stored in the blob. */
    public record Property(String name, byte[] value) {
        public int[] cells() {
            if (value.length % 4 != 0) throw new IllegalStateException(name + " is not a list of cells");
            ByteBuffer b = ByteBuffer.wrap(value);
            int[] cells = new int[value.length / 4];
            for (int i = 0; i < cells.length; i++) cells[i] = b.getInt();
            return cells;
        }

        public long[] longs() {
            if (value.length % 8 != 0) throw new IllegalStateException(name + " is not a list of 64-bit values");
            ByteBuffer b = ByteBuffer.wrap(value);
            long[] longs = new long[value.length / 8];
            for (int i = 0; i < longs.length; i++) longs[i] = b.getLong();
            return longs;
        }

        public List<String> strings() {
            if (value.length == 0 || value[value.length - 1] != 0) throw new IllegalStateException(name + " is not a string list");
            List<String> list = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < value.length; i++) {
                if (value[i] == 0) {
                    list.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return list;
        }

        public String string() {
            List<String> list = strings();
            if (list.size() != 1) throw new IllegalStateException(name + " holds " + list.size() + " strings");
            return list.get(0);
        }
    }

    /** A node read back from a blob. */
    public static final class Node {
        private final String name;
        private final Map<String, Property> properties = new LinkedHashMap<>();
        private final List<Node> children = new ArrayList<>();

        Node(String name) {
            this.name = name;
        }

        public String name() { return name; }
        public Map<String, Property> properties() { return Collections.unmodifiableMap(properties); }
        public List<Node> children() { return Collections.unmodifiableList(children); }

        public Property property(String propertyName) {
            Property p = properties.get(propertyName);
            if (p == null) throw new IllegalArgumentException("no property " + propertyName + " in node '" + name + "'");
            return p;
        }

        public boolean has(String propertyName) {
            return properties.containsKey(propertyName);
        }

        public Node child(String childName) {
            for (Node c : children) {
                if (c.name.equals(childName)) return c;
            }
            throw new IllegalArgumentException("no node " + childName + " under '" + name + "'");
        }

        /** Whether this node has a child of that name. */
        public boolean hasChild(String childName) {
            for (Node c : children) {
                if (c.name.equals(childName)) return true;
            }
            return false;
        }

        /**
         * Sets a property as libfdt's fdt_setprop does: its value replaced in
         * place if it exists, else added as the node's first property.
         */
        public Node set(String propertyName, byte[] value) {
            Property p = new Property(propertyName, value.clone());
            if (properties.containsKey(propertyName)) {
                properties.put(propertyName, p);
                return this;
            }
            Map<String, Property> rest = new LinkedHashMap<>(properties);
            properties.clear();
            properties.put(propertyName, p);
            properties.putAll(rest);
            return this;
        }

        /** The child of that name, added (first, as libfdt's fdt_add_subnode does) if there is none. */
        public Node childOrNew(String childName) {
            if (hasChild(childName)) return child(childName);
            Node n = new Node(childName);
            children.add(0, n);
            return n;
        }

        /** Removes the children for which drop holds; returns how many went. */
        public int removeChildren(java.util.function.Predicate<Node> drop) {
            int before = children.size();
            children.removeIf(drop);
            return before - children.size();
        }

        /** Puts a new empty child of that name at index (0 = first child). */
        public Node insertChild(int index, String childName) {
            Node n = new Node(childName);
            children.add(index, n);
            return n;
        }

        /** A descendant by path relative to this node, e.g. "cpus/cpu@0". */
        public Node find(String path) {
            Node n = this;
            for (String part : path.split("/")) {
                if (!part.isEmpty()) n = n.child(part);
            }
            return n;
        }
    }

    /** A parsed blob: the header fields that matter, the reservations and the tree. */
    public record Parsed(int version, int bootCpu, List<long[]> reservations, Node root) {}

    /** Writes a parsed (and perhaps edited) tree back as a blob: version 17, its reservations and boot CPU kept. */
    public static byte[] write(Parsed parsed) {
        DeviceTree dt = new DeviceTree();
        for (long[] r : parsed.reservations()) dt.reserveMemory(r[0], r[1]);
        dt.bootCpu(parsed.bootCpu());
        writeNode(dt, parsed.root());
        return dt.toBlob();
    }

    private static void writeNode(DeviceTree dt, Node n) {
        dt.beginNode(n.name);
        for (Property p : n.properties.values()) dt.property(p.name(), p.value());
        for (Node c : n.children) writeNode(dt, c);
        dt.endNode();
    }

    /** Parses and checks a blob; malformed input throws IllegalArgumentException. */
    public static Parsed parse(byte[] blob) {
        try {
            return parseChecked(blob);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated device tree blob", e);
        }
    }

    private static Parsed parseChecked(byte[] blob) {
        ByteBuffer h = ByteBuffer.wrap(blob);
        if (h.getInt() != MAGIC) throw new IllegalArgumentException("bad device tree magic");
        int total = h.getInt(), offStruct = h.getInt(), offStrings = h.getInt(), offRsv = h.getInt();
        int version = h.getInt(), lastCompatible = h.getInt(), bootCpu = h.getInt();
        int sizeStrings = h.getInt(), sizeStruct = h.getInt();
        if (total != blob.length) throw new IllegalArgumentException("totalsize " + total + " but blob has " + blob.length + " bytes");
        if (version < LAST_COMPATIBLE_VERSION || lastCompatible > VERSION) throw new IllegalArgumentException("unsupported version " + version);
        if (offStruct + sizeStruct > total || offStrings + sizeStrings > total || (offRsv & 7) != 0 || (offStruct & 3) != 0) {
            throw new IllegalArgumentException("blocks outside the blob or misaligned");
        }
        List<long[]> reservations = new ArrayList<>();
        ByteBuffer r = ByteBuffer.wrap(blob, offRsv, total - offRsv);
        for (;;) {
            long address = r.getLong(), size = r.getLong();
            if (address == 0 && size == 0) break;
            reservations.add(new long[] {address, size});
        }
        ByteBuffer s = ByteBuffer.wrap(blob, offStruct, sizeStruct);
        List<Node> stack = new ArrayList<>();
        Node root = null;
        for (;;) {
            int token = s.getInt();
            switch (token) {
                case FDT_BEGIN_NODE -> {
                    Node n = new Node(readName(blob, s));
                    if (stack.isEmpty()) {
                        if (root != null) throw new IllegalArgumentException("two root nodes");
                        root = n;
                    } else {
                        stack.get(stack.size() - 1).children.add(n);
                    }
                    stack.add(n);
                }
                case FDT_END_NODE -> {
                    if (stack.isEmpty()) throw new IllegalArgumentException("unbalanced FDT_END_NODE");
                    stack.remove(stack.size() - 1);
                }
                case FDT_PROP -> {
                    if (stack.isEmpty()) throw new IllegalArgumentException("property outside a node");
                    int len = s.getInt(), nameOff = s.getInt();
                    if (nameOff >= sizeStrings) throw new IllegalArgumentException("property name outside the strings block");
                    byte[] value = new byte[len];
                    s.get(value);
                    s.position((s.position() + 3) & ~3);
                    String name = cString(blob, offStrings + nameOff, offStrings + sizeStrings);
                    Node node = stack.get(stack.size() - 1);
                    if (!node.children.isEmpty()) throw new IllegalArgumentException("property " + name + " after a subnode");
                    if (node.properties.put(name, new Property(name, value)) != null) {
                        throw new IllegalArgumentException("duplicate property " + name);
                    }
                }
                case FDT_NOP -> { }
                case FDT_END -> {
                    if (!stack.isEmpty() || root == null) throw new IllegalArgumentException("FDT_END inside a node or before the root");
                    return new Parsed(version, bootCpu, reservations, root);
                }
                default -> throw new IllegalArgumentException("bad structure token " + token);
            }
        }
    }

    private static String readName(byte[] blob, ByteBuffer s) {
        int start = s.arrayOffset() + s.position();
        String name = cString(blob, start, s.arrayOffset() + s.limit());
        int len = name.getBytes(StandardCharsets.US_ASCII).length + 1;
        s.position((s.position() + len + 3) & ~3);
        return name;
    }

    private static String cString(byte[] blob, int start, int end) {
        for (int i = start; i < end; i++) {
            if (blob[i] == 0) return new String(blob, start, i - start, StandardCharsets.US_ASCII);
        }
        throw new IllegalArgumentException("unterminated string at " + start);
    }
}
