/* Reading capture files with libpcap; see trace-pcap.h. */
#include "trace/trace-pcap.h"
#include "trace/trace-i18n.h"
#include "trace/trace-packet.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

GQuark
trace_pcap_error_quark(void)
{
	return g_quark_from_static_string("trace-pcap-error-quark");
}

#define READ_BUFFER (1 << 20)

gboolean
trace_pcap_read_file(Tracer *tracer, const char *path, GError **error)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	/* Our own FILE, so that it reads in large blocks (stdio's default is a
	 * page, a system call every 4 KB of capture). */
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		g_set_error(error, TRACE_PCAP_ERROR, TRACE_PCAP_ERROR_OPEN,
		            _("%s: cannot be read as a capture (%s)."), path, g_strerror(errno));
		return FALSE;
	}
	/* glibc ignores the size unless it is given the buffer too. */
	g_autofree char *buffer = g_malloc(READ_BUFFER);
	setvbuf(f, buffer, _IOFBF, READ_BUFFER);
	pcap_t *p =
	    pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (p == NULL) {
		fclose(f);
		g_set_error(error, TRACE_PCAP_ERROR, TRACE_PCAP_ERROR_OPEN,
		            _("%s: cannot be read as a capture (%s)."), path, errbuf);
		return FALSE;
	}
	int linktype = pcap_datalink(p);
	if (!trace_packet_linktype_supported(linktype)) {
		const char *name = pcap_datalink_val_to_name(linktype);
		g_set_error(error, TRACE_PCAP_ERROR, TRACE_PCAP_ERROR_LINKTYPE,
		            _("%s: link type %s (%d) is not one facteur reads (Ethernet, Linux "
		              "cooked, BSD loopback, raw IP)."),
		            path, name != NULL ? name : "?", linktype);
		pcap_close(p);
		return FALSE;
	}
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int r;
	gint64 last = 0;
	guint64 frames = 0;
	while ((r = pcap_next_ex(p, &hdr, &data)) == 1) {
		gint64 ts = (gint64)hdr->ts.tv_sec * G_USEC_PER_SEC + hdr->ts.tv_usec;
		last = ts;
		frames++;
		/* libpcap checks caplen against the snap length and the buffer. */
		tracer_feed_frame(tracer, linktype, ts, data, hdr->caplen, hdr->len);
	}
	gboolean ok = TRUE;
	if (r == PCAP_ERROR) {
		g_autofree char *why = g_strdup(pcap_geterr(p));
		g_autofree char *text =
		    g_strdup_printf(_("The capture file is damaged after frame %" PRIu64
		                      " (%s): what follows is not decoded."),
		                    frames, why);
		tracer_note(tracer, last, "damaged-file", text);
		g_set_error(error, TRACE_PCAP_ERROR, TRACE_PCAP_ERROR_DAMAGED,
		            _("%s: damaged after frame %" PRIu64 " (%s)."), path, frames, why);
		ok = FALSE;
	}
	tracer_finish(tracer, last);
	pcap_close(p);
	return ok;
}
