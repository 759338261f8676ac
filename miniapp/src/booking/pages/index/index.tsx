import { ComingSoon } from '@/components/ComingSoon';

export default function Placeholder() {
  return <ComingSoon feature="booking" />;
}
