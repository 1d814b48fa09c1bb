El puente se derrumbó el lunes por la mañana durante la hora punta.
Las autoridades dijeron que doce personas resultaron heridas.
Los equipos de rescate buscaron en el río durante toda la noche.
El alcalde pidió calma y prometió una investigación completa.
Los ingenieros habían advertido durante años sobre el estado del puente.
El gobierno anunció nuevas ayudas para las familias afectadas.
La inflación bajó al tres por ciento en octubre, según el instituto de estadística.
El banco central mantuvo los tipos de interés sin cambios.
Los precios de la vivienda subieron por quinto mes consecutivo.
La selección nacional ganó el partido por dos goles a uno.
El entrenador elogió la defensa y criticó el arbitraje.
Miles de personas se manifestaron en la capital contra la reforma.
Los sindicatos convocaron una huelga general para el jueves.
El parlamento aprobó la ley con el apoyo de la oposición.
La ministra de Sanidad presentó un plan para reducir las listas de espera.
Un incendio forestal obligó a evacuar tres pueblos en el norte.
Los bomberos lograron controlar las llamas después de dos días.
La empresa despedirá a quinientos trabajadores el próximo año.
Las ventas de coches eléctricos se duplicaron en el último trimestre.
El museo abrirá una exposición sobre la historia de la ciudad.
La lluvia provocó inundaciones en varias calles del centro.
Los científicos descubrieron una nueva especie de rana en la selva.
El presidente viajará a Bruselas para reunirse con los líderes europeos.
Las negociaciones terminaron sin acuerdo tras diez horas de reunión.
El aeropuerto canceló más de cien vuelos por la niebla.
La policía detuvo a dos sospechosos relacionados con el robo.
El juicio comenzará en marzo, según fuentes judiciales.
Las escuelas permanecerán cerradas hasta el miércoles.
El festival de cine atrajo a más visitantes que nunca.
Los agricultores piden ayudas por la sequía que sufre la región.
La compañía eléctrica restableció el suministro a la mayoría de los hogares.
El número de turistas extranjeros alcanzó un récord en verano.
