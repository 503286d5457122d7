package io.inlet.source.kinesis;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the members of a Kinesis job's consumer group tell each other through the group protocol's user data: in a
 * subscription, the shards the member sees (ListShards: each with its parents and whether it is closed) and the
 * shards it held; in an assignment, the shards the member loads from now on.
 */
final class ShardUserData {

    private static final int VERSION = 1;
    /** The ending sequence number of a shard a member saw closed (its value is not carried). */
    static final String CLOSED = "closed";

    private ShardUserData() {
    }

    /** A member's view: the shards of the stream it would claim, and those it loaded before this rebalance. */
    record MemberView(List<ShardInfo> shards, Set<String> owned) {
        static final MemberView EMPTY = new MemberView(List.of(), Set.of());

        MemberView {
            shards = List.copyOf(shards);
            owned = Set.copyOf(owned);
        }
    }

    static ByteBuffer encode(MemberView view) {
        return write(out -> {
            out.writeInt(view.shards().size());
            for (ShardInfo s : view.shards()) {
                out.writeUTF(s.shardId());
                writeNullable(out, s.parentShardId());
                writeNullable(out, s.adjacentParentShardId());
                out.writeBoolean(s.closed()); // not the sequence numbers: the group's metadata is kept small
            }
            writeStrings(out, view.owned());
        });
    }

    /** A member's view; {@link MemberView#EMPTY} for no user data, or data of another version. */
    static MemberView decodeView(ByteBuffer data) {
        DataInputStream in = reader(data);
        if (in == null) {
            return MemberView.EMPTY;
        }
        try {
            int n = in.readInt();
            List<ShardInfo> shards = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                String parent = readNullable(in);
                String adjacent = readNullable(in);
                shards.add(new ShardInfo(id, parent, adjacent, null, in.readBoolean() ? CLOSED : null));
            }
            return new MemberView(shards, new LinkedHashSet<>(readStrings(in)));
        } catch (IOException e) {
            return MemberView.EMPTY;
        }
    }

    static ByteBuffer encode(List<String> assigned) {
        return write(out -> writeStrings(out, assigned));
    }

    /** The shards of an assignment; empty for no user data. */
    static List<String> decodeAssignment(ByteBuffer data) {
        DataInputStream in = reader(data);
        if (in == null) {
            return List.of();
        }
        try {
            return List.copyOf(readStrings(in));
        } catch (IOException e) {
            return List.of();
        }
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static ByteBuffer write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    private static DataInputStream reader(ByteBuffer data) {
        if (data == null || data.remaining() < 4) {
            return null;
        }
        ByteBuffer b = data.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        try {
            return in.readInt() == VERSION ? in : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeStrings(DataOutputStream out, java.util.Collection<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeUTF(v);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }

    private static void writeNullable(DataOutputStream out, String v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeUTF(v);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
