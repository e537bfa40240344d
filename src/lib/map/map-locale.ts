/** French texts of MapLibre's own controls (MapLibre ships English only). */
export const MAP_LOCALE_FR: Record<string, string> = {
	'AttributionControl.ToggleAttribution': 'Afficher ou masquer les sources',
	'AttributionControl.MapFeedback': 'Signaler un problème sur la carte',
	'FullscreenControl.Enter': 'Plein écran',
	'FullscreenControl.Exit': 'Quitter le plein écran',
	'GeolocateControl.FindMyLocation': 'Me localiser',
	'GeolocateControl.LocationNotAvailable': 'Position indisponible',
	'LogoControl.Title': 'Logo MapLibre',
	'Map.Title': 'Carte',
	'Marker.Title': 'Marqueur',
	'NavigationControl.ResetBearing': 'Remettre le nord en haut',
	'NavigationControl.ZoomIn': 'Zoom avant',
	'NavigationControl.ZoomOut': 'Zoom arrière',
	'Popup.Close': 'Fermer',
	'ScaleControl.Meters': 'm',
	'ScaleControl.Kilometers': 'km',
	'CooperativeGesturesHandler.WindowsHelpText': 'Utilisez Ctrl + molette pour zoomer',
	'CooperativeGesturesHandler.MacHelpText': 'Utilisez ⌘ + molette pour zoomer',
	'CooperativeGesturesHandler.MobileHelpText': 'Utilisez deux doigts pour déplacer la carte'
};
