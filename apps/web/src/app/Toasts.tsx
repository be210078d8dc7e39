import { useNotifications } from '@mantine/notifications';
import { lazyComponent, useWantedOnce } from '../shared/lazyComponent';

// Mantine's notification container (transitions, portal, drag and scroll handling) is fetched
// with the first notification, not on every first load: `notifications.show()` only needs the
// store, which keeps what was shown until the container mounts and renders it.
const Notifications = lazyComponent(() =>
  import('./NotificationsContainer').then((module) => module.Notifications),
);

/** Where notifications appear: top right, once there is one to show. */
export function Toasts() {
  const { notifications, queue } = useNotifications();
  const wanted = useWantedOnce(notifications.length + queue.length > 0);
  return wanted ? <Notifications position="top-right" /> : null;
}
