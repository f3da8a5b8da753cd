package net.braid.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The cut/restore timeline as a PNG line chart, drawn with the JDK alone (java.desktop,
 * headless): throughput per interval, the remaining link and the sum as dashed levels, the cut
 * and the restore as vertical lines.
 */
final class MultipathPlot {
    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    private static final int LEFT = 60, RIGHT = 20, TOP = 30, BOTTOM = 45;

    private MultipathPlot() {}

    static BufferedImage draw(MultipathTimeline t, double remainingMbps, double sumMbps, String title) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double xMax = Math.max(1, Math.ceil(t.end()));
            double yMax = 1.15 * Math.max(sumMbps, max(t.mbps()));
            int w = WIDTH - LEFT - RIGHT, h = HEIGHT - TOP - BOTTOM;
            var x = (java.util.function.DoubleUnaryOperator) s -> LEFT + s / xMax * w;
            var y = (java.util.function.DoubleUnaryOperator) v -> TOP + h - v / yMax * h;
            g.setColor(new Color(230, 230, 230));
            for (int s = 0; s <= xMax; s++) g.drawLine((int) x.applyAsDouble(s), TOP, (int) x.applyAsDouble(s), TOP + h);
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, w, h);
            boolean text = text(g);
            if (text) {
                g.drawString(title, LEFT, TOP - 10);
                for (int s = 0; s <= xMax; s += 1) g.drawString(Integer.toString(s), (int) x.applyAsDouble(s) - 4, TOP + h + 15);
                g.drawString("seconds", LEFT + w / 2 - 20, HEIGHT - 8);
                for (int v = 0; v <= yMax; v += 20) g.drawString(Integer.toString(v), 8, (int) y.applyAsDouble(v) + 4);
                g.drawString("Mbit/s", 8, TOP - 10);
            }
            float[] dash = {6, 5};
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, dash, 0));
            g.setColor(new Color(0, 140, 0));
            line(g, LEFT, y.applyAsDouble(sumMbps), LEFT + w, y.applyAsDouble(sumMbps));
            g.setColor(new Color(200, 120, 0));
            line(g, LEFT, y.applyAsDouble(remainingMbps), LEFT + w, y.applyAsDouble(remainingMbps));
            g.setColor(Color.RED);
            line(g, x.applyAsDouble(t.cutAt()), TOP, x.applyAsDouble(t.cutAt()), TOP + h);
            line(g, x.applyAsDouble(t.restoreAt()), TOP, x.applyAsDouble(t.restoreAt()), TOP + h);
            if (text) {
                g.drawString("cut", (int) x.applyAsDouble(t.cutAt()) + 4, TOP + 14);
                g.drawString("restore", (int) x.applyAsDouble(t.restoreAt()) + 4, TOP + 14);
                g.setColor(new Color(0, 140, 0));
                g.drawString("sum of the direct links", LEFT + w - 150, (int) y.applyAsDouble(sumMbps) - 4);
                g.setColor(new Color(200, 120, 0));
                g.drawString("remaining link", LEFT + w - 150, (int) y.applyAsDouble(remainingMbps) - 4);
            }
            g.setStroke(new BasicStroke(2f));
            g.setColor(new Color(30, 80, 200));
            double[] s = t.start(), m = t.mbps();
            double step = s.length > 1 ? s[1] - s[0] : 0.1;
            for (int i = 1; i < s.length; i++) {
                line(g, x.applyAsDouble(s[i - 1] + step / 2), y.applyAsDouble(m[i - 1]),
                        x.applyAsDouble(s[i] + step / 2), y.applyAsDouble(m[i]));
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    static void write(BufferedImage img, Path file) throws IOException {
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer in this JDK");
    }

    /** Whether text can be drawn: a headless JDK without fonts throws on the first glyph. */
    private static boolean text(Graphics2D g) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.getFontMetrics().stringWidth("0");
            return true;
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    private static void line(Graphics2D g, double x1, double y1, double x2, double y2) {
        g.drawLine((int) Math.round(x1), (int) Math.round(y1), (int) Math.round(x2), (int) Math.round(y2));
    }

    private static double max(double[] v) {
        double m = 0;
        for (double d : v) m = Math.max(m, d);
        return m;
    }
}
