/* Live capture and its fallback; see trace-live.h. */
#include "trace/trace-live.h"
#include "trace/trace-packet.h"
#include "trace/trace-i18n.h"

#include <glib-unix.h>
#include <pcap/pcap.h>

struct _TraceLive {
	Tracer *tracer;
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	int linktype;
	guint watch;
	guint64 packets;
	guint dropped; /* packets the kernel dropped, as last reported */
};

/* The kernel's ring of captured packets. libpcap gives every packet a slot
 * as large as the interface's MTU (64 KB on lo) and asks for 2 MB by
 * default: 32 packets, fewer than a scenario step can send between two
 * turns of the main loop. */
#define RING_BYTES (16 * 1024 * 1024)

const char *
trace_live_permission_hint(void)
{
	return _("allow it once with “sudo setcap cap_net_raw,cap_net_admin+eip build/facteur” "
	         "(or “make setcap”), or run as root.");
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	TraceLive *live = (TraceLive *)user;
	live->packets++;
	if (live->dumper != NULL)
		pcap_dump((u_char *)live->dumper, h, bytes);
	gint64 ts = (gint64)h->ts.tv_sec * G_USEC_PER_SEC + h->ts.tv_usec;
	tracer_feed_frame(live->tracer, live->linktype, ts, bytes, h->caplen, h->len);
}

static void
drain(TraceLive *live)
{
	/* Bounded batches so that the loop stays responsive under load. */
	for (int i = 0; i < 16; i++)
		if (pcap_dispatch(live->pcap, 256, on_packet, (u_char *)live) <= 0)
			break;
	if (live->dumper != NULL)
		pcap_dump_flush(live->dumper);
	/* Say so when the kernel had to drop packets: what they carried is
	 * missing from the trace (gaps, connections seen mid-stream). */
	struct pcap_stat st;
	if (pcap_stats(live->pcap, &st) == 0 && st.ps_drop > live->dropped) {
		guint n = st.ps_drop - live->dropped;
		live->dropped = st.ps_drop;
		g_autofree char *text = g_strdup_printf(
		    ngettext("The system dropped %u packet the capture could not take in time: "
		             "what it carried is missing from this trace.",
		             "The system dropped %u packets the capture could not take in time: "
		             "what they carried is missing from this trace.",
		             n),
		    n);
		tracer_note(live->tracer, g_get_real_time(), "capture-drops", text);
	}
	tracer_flush(live->tracer);
}

static gboolean
on_readable(gint fd, GIOCondition cond, gpointer user_data)
{
	(void)fd, (void)cond;
	drain(user_data);
	return G_SOURCE_CONTINUE;
}

/* Only the given ports when there are some (the glue's own servers: another
 * facteur or a real server on a standard port must not show up in a
 * scenario), else every port the tracer knows. */
static char *
make_filter(Tracer *tracer, const TracePort *only, gsize n_only)
{
	g_autoptr(GArray) ports = tracer_ports(tracer);
	GString *f = g_string_new("tcp and (");
	if (n_only > 0) {
		for (gsize i = 0; i < n_only; i++)
			g_string_append_printf(f, "%sport %u", i > 0 ? " or " : "", only[i].port);
	} else {
		for (guint i = 0; i < ports->len; i++)
			g_string_append_printf(f, "%sport %u", i > 0 ? " or " : "",
			                       g_array_index(ports, guint16, i));
	}
	g_string_append_c(f, ')');
	return g_string_free(f, FALSE);
}

static gboolean
fail(TraceLive *live, GError **error, int code, const char *fmt, const char *what)
{
	g_set_error(error, TRACE_PCAP_ERROR, code, fmt, what);
	if (live->pcap != NULL)
		pcap_close(live->pcap);
	g_free(live);
	return FALSE;
}

static TraceLive *live_start(Tracer *tracer, const char *iface, const char *write_path,
                             const TracePort *only, gsize n_only, GError **error);

TraceLive *
trace_live_start(Tracer *tracer, const char *iface, const char *write_path, GError **error)
{
	return live_start(tracer, iface, write_path, NULL, 0, error);
}

static TraceLive *
live_start(Tracer *tracer, const char *iface, const char *write_path, const TracePort *only,
           gsize n_only, GError **error)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	if (iface == NULL)
		iface = "lo";
	TraceLive *live = g_new0(TraceLive, 1);
	live->tracer = tracer;
	live->pcap = pcap_create(iface, errbuf);
	if (live->pcap == NULL) {
		fail(live, error, TRACE_PCAP_ERROR_LIVE, _("cannot capture: %s."), errbuf);
		return NULL;
	}
	pcap_set_snaplen(live->pcap, 262144);
	pcap_set_buffer_size(live->pcap, RING_BYTES);
	pcap_set_immediate_mode(live->pcap, 1);
	pcap_set_timeout(live->pcap, 100);
	int r = pcap_activate(live->pcap);
	if (r == PCAP_ERROR_PERM_DENIED || r == PCAP_ERROR_PROMISC_PERM_DENIED) {
		g_autofree char *why = g_strdup_printf(
		    _("capture on %s refused: facteur lacks the CAP_NET_RAW capability; %s"), iface,
		    trace_live_permission_hint());
		fail(live, error, TRACE_PCAP_ERROR_PERMISSION, "%s", why);
		return NULL;
	}
	if (r < 0) {
		g_autofree char *why = g_strdup_printf("%s (%s)", iface, pcap_geterr(live->pcap));
		fail(live, error, TRACE_PCAP_ERROR_LIVE, _("cannot capture on %s."), why);
		return NULL;
	}
	live->linktype = pcap_datalink(live->pcap);
	if (!trace_packet_linktype_supported(live->linktype)) {
		fail(live, error, TRACE_PCAP_ERROR_LINKTYPE,
		     _("the link type of %s is not one facteur reads."), iface);
		return NULL;
	}
	g_autofree char *filter = make_filter(tracer, only, n_only);
	struct bpf_program prog;
	if (pcap_compile(live->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
	    pcap_setfilter(live->pcap, &prog) < 0) {
		g_autofree char *why = g_strdup(pcap_geterr(live->pcap));
		fail(live, error, TRACE_PCAP_ERROR_LIVE, _("the capture filter was refused: %s."),
		     why);
		return NULL;
	}
	pcap_freecode(&prog);
	if (pcap_setnonblock(live->pcap, 1, errbuf) < 0) {
		fail(live, error, TRACE_PCAP_ERROR_LIVE, _("cannot capture: %s."), errbuf);
		return NULL;
	}
	int fd = pcap_get_selectable_fd(live->pcap);
	if (fd < 0) {
		fail(live, error, TRACE_PCAP_ERROR_LIVE,
		     _("cannot capture on %s: no selectable descriptor."), iface);
		return NULL;
	}
	if (write_path != NULL) {
		live->dumper = pcap_dump_open(live->pcap, write_path);
		if (live->dumper == NULL) {
			g_autofree char *why =
			    g_strdup_printf("%s (%s)", write_path, pcap_geterr(live->pcap));
			fail(live, error, TRACE_PCAP_ERROR_OPEN, _("cannot write %s."), why);
			return NULL;
		}
	}
	/* Between pcap_activate() and the filter the ring took in everything on
	 * the interface: read it now (libpcap filters those packets itself), so
	 * that it has room for the connections our caller opens next. What the
	 * kernel dropped meanwhile was not for us: counted from here on. */
	live->dropped = G_MAXUINT;
	drain(live);
	struct pcap_stat st;
	live->dropped = pcap_stats(live->pcap, &st) == 0 ? st.ps_drop : 0;
	live->watch = g_unix_fd_add(fd, G_IO_IN, on_readable, live);
	tracer_set_tap_ignored(tracer, TRUE);
	return live;
}

void
trace_live_stop(TraceLive *live)
{
	if (live == NULL)
		return;
	drain(live);
	g_source_remove(live->watch);
	if (live->dumper != NULL)
		pcap_dump_close(live->dumper);
	pcap_close(live->pcap);
	tracer_set_tap_ignored(live->tracer, FALSE);
	g_free(live);
}

guint64
trace_live_packets(const TraceLive *live)
{
	return live->packets;
}

/* --- libpcap on lo, or the tap --- */

struct _TraceCapture {
	TraceLive *live;
	char *describe;
};

TraceCapture *
trace_capture_start_loopback(Tracer *tracer, const TracePort *ports, gsize n_ports)
{
	TraceCapture *c = g_new0(TraceCapture, 1);
	for (gsize i = 0; i < n_ports; i++)
		tracer_set_port(tracer, ports[i].port, ports[i].proto);
	g_autoptr(GError) error = NULL;
	c->live = live_start(tracer, "lo", NULL, ports, n_ports, &error);
	if (c->live != NULL) {
		c->describe = g_strdup(_("Trace: libpcap captures the packets on lo."));
	} else {
		tracer_set_tap_ignored(tracer, FALSE);
		c->describe =
		    g_strdup_printf(_("Trace: libpcap may not capture here, so the servers "
		                      "show their own traffic (in-process tap); %s"),
		                    error->message);
	}
	return c;
}

TraceCaptureMode
trace_capture_mode(const TraceCapture *capture)
{
	return capture->live != NULL ? TRACE_CAPTURE_LIBPCAP : TRACE_CAPTURE_TAP;
}

const char *
trace_capture_describe(const TraceCapture *capture)
{
	return capture->describe;
}

void
trace_capture_stop(TraceCapture *capture)
{
	if (capture == NULL)
		return;
	trace_live_stop(capture->live);
	g_free(capture->describe);
	g_free(capture);
}
