import { COMMON_SETTINGS, defineOutput, loadTls, setting } from '@falconer/outputs-core';
import { MqttOutput } from './mqtt.output';

export const MQTT_SETTINGS = {
  broker: setting.string('Broker address, `tcp://host:1883` or `ssl://host:8883` (enables the output)', '', {
    required: true,
  }),
  topic: setting.string('Topic', 'falco/events'),
  qos: setting.int('QoS: 0 (at most once), 1 (at least once), 2 (exactly once)', 0, { min: 0, max: 2 }),
  retained: setting.bool('Publish as retained messages', false),
  user: setting.string('User name (used with a password)', ''),
  password: setting.string('Password', '', { secret: true }),
  checkcert: setting.bool('Verify the broker TLS certificate', true),
  reconnectperiod: setting.duration('Wait between reconnection attempts', 1000, { extension: true }),
  ...COMMON_SETTINGS,
};

export const mqttOutput = defineOutput({
  type: 'mqtt',
  title: 'MQTT',
  section: 'mqtt',
  enabledBy: ['broker'],
  settings: MQTT_SETTINGS,
  falcosidekick: 'outputs/mqtt.go',
  summary:
    "Publishes falcosidekick's event JSON to an MQTT topic (QoS 0, 1 or 2, optionally retained) on one connection kept for the output's lifetime.",
  example: `mqtt:
  broker: tcp://mosquitto.iot:1883
  topic: falco/events
  qos: 1
  user: falco
  password: s3cret`,
  create: (v, ctx) => {
    const broker = v.broker.includes('://') ? v.broker : `tcp://${v.broker}`;
    if (!/^(mqtts?|tcp|ssl|tls|wss?):\/\/[^/]+/.test(broker))
      ctx.error(
        'broker',
        'expected tcp://host:port, ssl://host:port, mqtt(s)://host:port or ws(s)://host:port/path',
      );
    if (v.topic === '') ctx.error('topic', 'required');
    const { material, errors } = loadTls(ctx.tls, false);
    for (const e of errors) ctx.error('broker', e);
    return new MqttOutput(ctx.name, ctx.type, {
      broker,
      topic: v.topic,
      qos: v.qos as 0 | 1 | 2,
      retained: v.retained,
      user: v.user,
      password: v.password,
      checkcert: v.checkcert,
      material,
      reconnectMs: v.reconnectperiod,
      secrets: ctx.secrets,
    });
  },
});
