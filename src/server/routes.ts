/**
 * Every feature of the server, each a Fastify plugin from its own folder. A feature gets the
 * injected dependencies as `app.deps` and guards sender routes with `requireSender`.
 * To add one: export a `FastifyPluginAsync` from its folder and list it here (one line).
 */
import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth/routes.ts';
import { deviceRoutes } from './devices/routes.ts';
import { devOutboxRoutes } from './devOutboxRoutes.ts';
import { directoryRoutes } from './directory/routes.ts';
import { helpRoutes } from './helpRoutes.ts';
import { keyRoutes } from './keys/routes.ts';
import { messageRoutes } from './messages/routes.ts';
import { messageSenderRoutes } from './messages/senderRoutes.ts';
import { payloadDownloadRoute } from './payloads/downloadRoute.ts';
import { uploadRoutes } from './payloads/uploadRoutes.ts';

export const featurePlugins: FastifyPluginAsync[] = [
  devOutboxRoutes,
  authRoutes,
  directoryRoutes,
  keyRoutes,
  messageSenderRoutes,
  messageRoutes,
  payloadDownloadRoute,
  uploadRoutes,
  deviceRoutes,
  helpRoutes,
];
