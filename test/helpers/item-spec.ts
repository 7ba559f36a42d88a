/** SPEC section 4 as a strict zod schema: what every emitted item must look like. */
import { z } from 'zod';

const text = z.string().nullable();

export const itemSpec = z
	.object({
		event: z.enum(['InboundMessage', 'OutboundMessage', 'WorkflowWebhook']),
		channel: z.enum(['SMS', 'Call', 'Voicemail', 'Email', 'WhatsApp', 'Facebook', 'Instagram', 'Google Business', 'Live Chat', 'Other']),
		messageType: text,
		direction: z.enum(['inbound', 'outbound']).nullable(),
		locationId: text,
		contactId: text,
		conversationId: text,
		messageId: text,
		userId: text,
		conversationProviderId: text,
		dateAdded: text,
		status: text,
		text: z.string(),
		html: text,
		contentType: text,
		attachments: z.array(z.string()),
		from: text,
		to: z.array(z.string()),
		call: z
			.object({ durationSeconds: z.number().finite().nullable(), status: text, recordingUrl: text })
			.strict()
			.nullable(),
		email: z
			.object({
				subject: text,
				fromName: text,
				fromAddress: text,
				to: z.array(z.string()),
				cc: z.array(z.string()),
				bcc: z.array(z.string()),
				threadId: text,
				emailMessageId: text,
				provider: text,
			})
			.strict()
			.nullable(),
		chatWidgetId: text,
		webhookId: text,
		timestamp: text,
		source: text,
		sentByHuman: z.boolean().nullable(),
		raw: z.record(z.unknown()),
		contact: z
			.object({ id: text, name: text, email: text, phone: text, tags: z.array(z.string()), timezone: text })
			.strict()
			.optional(),
		enrichment: z
			.record(z.enum(['contact', 'missingMedia', 'recordings']), z.object({ ok: z.boolean(), error: text }).strict())
			.optional(),
	})
	.strict()
	.superRefine((item, context) => {
		const isCall = item.channel === 'Call' || item.channel === 'Voicemail';
		if (isCall !== (item.call !== null)) context.addIssue({ code: 'custom', message: 'call block only for Call/Voicemail' });
		if ((item.channel === 'Email') !== (item.email !== null)) context.addIssue({ code: 'custom', message: 'email block only for Email' });
		const contactAdded = item.enrichment?.contact?.ok === true;
		if ((item.event === 'WorkflowWebhook' || contactAdded) !== (item.contact !== undefined)) {
			context.addIssue({ code: 'custom', message: 'contact only for WorkflowWebhook, or when Include Contact added it' });
		}
		if ((item.direction === 'inbound' || (item.event !== 'OutboundMessage' && item.direction !== 'outbound')) && item.source !== null) context.addIssue({ code: 'custom', message: 'source only on outbound messages' });
		if (item.direction === 'inbound' && item.sentByHuman !== true) context.addIssue({ code: 'custom', message: 'an inbound message is the contact\'s' });
		if (item.channel !== 'Email' && item.html !== null) context.addIssue({ code: 'custom', message: 'html only for Email' });
	});
